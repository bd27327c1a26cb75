package dev.bazaar.messaging;

import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/** Spans for request-reply, with the OpenTelemetry messaging semantic-convention attributes. */
final class MessagingTelemetry {
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    MessagingTelemetry(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.bazaar.messaging");
    }

    /** A CLIENT span {@code request <subject>}, child of the current context. */
    Span startRequest(String subject) {
        return tracer.spanBuilder("request " + subject)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, "nats")
                .setAttribute(DESTINATION, subject)
                .setAttribute(OPERATION_NAME, "request")
                .setAttribute(OPERATION_TYPE, "send")
                .startSpan();
    }

    /** A SERVER span {@code process <subject>}, child of the trace context the request carried. */
    Span startProcess(String subject, String queueGroup, Headers headers, int bodySize) {
        return tracer.spanBuilder("process " + subject)
                .setSpanKind(SpanKind.SERVER)
                .setParent(NatsHeadersCarrier.extract(openTelemetry, headers))
                .setAttribute(SYSTEM, "nats")
                .setAttribute(DESTINATION, subject)
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(CONSUMER_GROUP, queueGroup)
                .setAttribute(BODY_SIZE, (long) bodySize)
                .startSpan();
    }

    void inject(Context context, Headers headers) {
        NatsHeadersCarrier.inject(openTelemetry, context, headers);
    }

    /** Marks a client-side failure: status ERROR, {@code error.type} = exception class, exception event. */
    static void failed(Span span, Throwable error) {
        span.setStatus(StatusCode.ERROR, error.getMessage());
        span.setAttribute(ERROR_TYPE, error.getClass().getSimpleName());
        span.recordException(error);
    }

    /** Marks an error reply: {@code error.type} = code always; status ERROR only when it is our fault (5xx). */
    static void answeredWithError(Span span, ServiceError error, Throwable cause) {
        span.setAttribute(ERROR_TYPE, Integer.toString(error.code()));
        if (error.code() >= 500) {
            span.setStatus(StatusCode.ERROR, error.message());
            if (cause != null) {
                span.recordException(cause);
            }
        }
    }
}
