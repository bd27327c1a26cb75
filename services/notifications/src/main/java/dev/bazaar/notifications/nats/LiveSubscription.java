package dev.bazaar.notifications.nats;

import dev.bazaar.messaging.MessagingTelemetry;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.notifications.LiveFeed;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's subscription to every live subject, with no queue group: each instance receives every
 * notification, whichever instance stored it, and hands it to its own live clients.
 */
public final class LiveSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveSubscription.class.getName());
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);
    private final NatsMessaging nats;
    private final LiveFeed feed;
    private final MessagingTelemetry telemetry;
    private final Dispatcher dispatcher;

    private LiveSubscription(NatsMessaging nats, LiveFeed feed) {
        this.nats = nats;
        this.feed = feed;
        this.telemetry = new MessagingTelemetry(nats.openTelemetry());
        this.dispatcher = nats.connection().createDispatcher(this::onMessage);
    }

    /** Subscribes to {@value LiveSubjects#ALL} and feeds what arrives into {@code feed}. */
    public static LiveSubscription start(NatsMessaging nats, LiveFeed feed) {
        LiveSubscription subscription = new LiveSubscription(nats, feed);
        subscription.dispatcher.subscribe(LiveSubjects.ALL);
        nats.declarations().subscribes(LiveSubjects.CHANNEL, null);
        try {
            // Once the server has the subscription, no notification published after start-up can be missed.
            nats.connection().flush(FLUSH_TIMEOUT);
        } catch (TimeoutException | IllegalStateException e) {
            LOG.info(() -> "live subscription pending until NATS is reachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return subscription;
    }

    private void onMessage(Message message) {
        // Core NATS, no queue group and no redelivery: one delivery, named by the subject's template.
        Span span = telemetry.startConsume(LiveSubjects.TEMPLATE, null, message.getHeaders(), null, 1,
                message.getData() == null ? 0 : message.getData().length);
        try (Scope ignored = span.makeCurrent()) {
            feed.deliver(nats.codec().decode(message.getData(), LiveNotification.class).toNotification());
        } catch (RuntimeException e) {
            // Nobody to answer and nothing to retry: a malformed live message is dropped, and said so.
            span.setStatus(StatusCode.ERROR, "malformed live notification");
            LOG.log(Level.WARNING, "dropped a malformed live notification on " + message.getSubject() + ": "
                    + e.getMessage());
        } finally {
            span.end();
        }
    }

    /** Unsubscribes; live clients of this instance get nothing more. */
    @Override
    public void close() {
        if (dispatcher.isActive()) {
            nats.connection().closeDispatcher(dispatcher);
        }
    }
}
