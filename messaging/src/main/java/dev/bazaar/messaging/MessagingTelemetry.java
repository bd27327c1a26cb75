package dev.bazaar.messaging;

import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The one place where NATS spans are named and given the OpenTelemetry messaging semantic-convention attributes:
 * request-reply (CLIENT {@code request <subject>}, SERVER {@code process <subject>}; the conventions have no
 * request-reply operation, so the client side is typed {@code send}) and JetStream (PRODUCER {@code send <subject>},
 * CONSUMER {@code process <subject>} child of the producer and linked to it). Public for this module's packages and
 * for tests asserting attribute keys, and for the few core-NATS messages a service sends itself (notifications' live
 * feed), so that their spans are named and attributed like every other.
 */
public final class MessagingTelemetry {
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    public static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    /** Not in the conventions: how many times JetStream has delivered this message, 1 on the first attempt. */
    public static final AttributeKey<Long> DELIVERY_COUNT = AttributeKey.longKey("messaging.nats.delivery_count");
    /** Not in the conventions: JetStream dropped the publish as a duplicate of a stored message id. */
    public static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("messaging.nats.duplicate");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    /** Spans come from {@code openTelemetry}'s tracer provider, propagation from its propagators. */
    public MessagingTelemetry(OpenTelemetry openTelemetry) {
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

    /**
     * A PRODUCER span {@code send <subject>} for a JetStream publish.
     *
     * @param parent    the context the publish belongs to (the current one, or one restored from an outbox row)
     * @param messageId the {@code Nats-Msg-Id}, or {@code null}
     * @param link      a span context to link to (the trace a dead letter or replay came from), or {@code null}
     */
    public Span startSend(String subject, String messageId, Context parent, SpanContext link) {
        SpanBuilder builder = tracer.spanBuilder("send " + subject)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute(SYSTEM, "nats")
                .setAttribute(DESTINATION, subject)
                .setAttribute(OPERATION_NAME, "send")
                .setAttribute(OPERATION_TYPE, "send");
        if (messageId != null) {
            builder.setAttribute(MESSAGE_ID, messageId);
        }
        if (link != null && link.isValid()) {
            builder.addLink(link);
        }
        return builder.startSpan();
    }

    /**
     * A CONSUMER span {@code process <subject>} for one JetStream delivery: child of the producer's context carried
     * in {@code headers} and, as the messaging conventions ask, linked to it (so that the link survives if a backend
     * re-parents batch consumers).
     */
    public Span startConsume(String subject, String consumerGroup, Headers headers, String messageId,
                             long deliveryCount, int bodySize) {
        Context producer = NatsHeadersCarrier.extract(openTelemetry, headers);
        SpanBuilder builder = tracer.spanBuilder("process " + subject)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(producer)
                .setAttribute(SYSTEM, "nats")
                .setAttribute(DESTINATION, subject)
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(CONSUMER_GROUP, consumerGroup)
                .setAttribute(DELIVERY_COUNT, deliveryCount)
                .setAttribute(BODY_SIZE, (long) bodySize);
        if (messageId != null) {
            builder.setAttribute(MESSAGE_ID, messageId);
        }
        SpanContext producerSpan = Span.fromContext(producer).getSpanContext();
        if (producerSpan.isValid()) {
            builder.addLink(producerSpan);
        }
        return builder.startSpan();
    }

    /** Writes {@code context} into {@code headers} with the configured propagator. */
    public void inject(Context context, Headers headers) {
        NatsHeadersCarrier.inject(openTelemetry, context, headers);
    }

    /** The context carried by {@code headers} (which may be {@code null}), on top of the root context. */
    public Context extract(Headers headers) {
        return NatsHeadersCarrier.extract(openTelemetry, headers);
    }

    /** Marks a failure: status ERROR, {@code error.type} = exception class, exception event. */
    public static void failed(Span span, Throwable error) {
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
