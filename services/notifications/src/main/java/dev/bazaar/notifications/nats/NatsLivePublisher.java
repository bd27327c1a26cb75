package dev.bazaar.notifications.nats;

import dev.bazaar.messaging.MessagingTelemetry;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.notifications.LivePublisher;
import dev.bazaar.notifications.Notification;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Publishes a stored notification on its customer's live subject (core NATS, fire and forget: while disconnected
 * jnats buffers it until reconnect), with the trace context in the headers.
 */
public final class NatsLivePublisher implements LivePublisher {
    private final NatsMessaging nats;
    private final MessagingTelemetry telemetry;

    public NatsLivePublisher(NatsMessaging nats) {
        this.nats = nats;
        this.telemetry = new MessagingTelemetry(nats.openTelemetry());
        nats.declarations().publishes(LiveSubjects.CHANNEL);
    }

    @Override
    public void publish(Notification notification) {
        // Named by the subject's template: one subject per customer would make a span name per customer.
        Span span = telemetry.startSend(LiveSubjects.TEMPLATE, null, Context.current(), null);
        try (Scope ignored = span.makeCurrent()) {
            Headers headers = new Headers();
            telemetry.inject(Context.current(), headers);
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
