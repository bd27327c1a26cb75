package dev.bazaar.notifications.nats;

import dev.bazaar.messaging.NatsHeadersCarrier;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.notifications.LivePublisher;
import dev.bazaar.notifications.Notification;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Publishes a stored notification on its customer's live subject (core NATS, fire and forget: while disconnected
 * jnats buffers it until reconnect), with the trace context in the headers.
 */
public final class NatsLivePublisher implements LivePublisher {
    private final NatsMessaging nats;
    private final Tracer tracer;

    public NatsLivePublisher(NatsMessaging nats) {
        this.nats = nats;
        this.tracer = nats.openTelemetry().getTracer("dev.bazaar.notifications");
    }

    @Override
    public void publish(Notification notification) {
        Span span = tracer.spanBuilder("send " + LiveSubjects.TEMPLATE)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "nats")
                .setAttribute("messaging.destination.template", LiveSubjects.TEMPLATE)
                .setAttribute("messaging.operation.type", "send")
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Headers headers = new Headers();
            NatsHeadersCarrier.inject(nats.openTelemetry(), Context.current(), headers);
            nats.connection().publish(NatsMessage.builder()
                    .subject(LiveSubjects.of(notification.customerId()))
                    .headers(headers)
                    .data(nats.codec().encode(LiveNotification.of(notification)))
                    .build());
        } finally {
            span.end();
        }
    }
}
