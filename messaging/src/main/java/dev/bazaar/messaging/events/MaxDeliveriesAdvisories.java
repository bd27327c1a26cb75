package dev.bazaar.messaging.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bazaar.messaging.MalformedMessageException;
import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.asyncapi.Declarations;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Catches what nats-server gives up on behind the listener's back. When the last allowed delivery of a message is
 * never settled (the instance died or lost its connection mid-handler, or the ack was lost), the server stops
 * delivering it once its ack wait passes and only says so in a core-NATS advisory, which nobody stores:
 * {@code $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<durable>}, JSON with {@code stream}, {@code consumer},
 * {@code stream_seq}, {@code deliveries}. Every instance subscribes in a queue group named after the durable, so one
 * of them handles each advisory: {@link EventDispatcher#deadLetterUnsettled} reads the message back from the stream
 * and dead-letters it. A {@code term} (the dispatcher's own dead letters) triggers no such advisory.
 * <p>
 * The server emits it when some instance next pulls, and that pull comes after the instance's subscription on the same
 * connection, so it is heard. Reading or storing that fails is retried after the consumer's backoff delays, at most
 * {@code maxDeliver} times: the advisory does not come again. Then, or if the listener stops meanwhile, the message is
 * logged SEVERE and counted as lost.
 */
final class MaxDeliveriesAdvisories {
    private static final Logger LOG = Logger.getLogger(MaxDeliveriesAdvisories.class.getName());
    static final String SUBJECT_PREFIX = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.";

    /** The fields used of nats-server's {@code io.nats.jetstream.advisory.v1.max_deliver}. */
    record Advisory(String stream, String consumer, @JsonProperty("stream_seq") long streamSequence, long deliveries) {
    }

    private final NatsMessaging nats;
    private final ConsumerSpec spec;
    private final EventDispatcher dispatcher;
    private final ExecutorService workers;
    private final Dispatcher subscription;

    private MaxDeliveriesAdvisories(NatsMessaging nats, ConsumerSpec spec, EventDispatcher dispatcher) {
        this.nats = nats;
        this.spec = spec;
        this.dispatcher = dispatcher;
        this.workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(spec.durable() + "-max-deliveries-", 0).factory());
        this.subscription = nats.connection().createDispatcher(this::onAdvisory);
    }

    /** Subscribes for the consumer of {@code spec}; jnats subscribes again after a reconnect. */
    static MaxDeliveriesAdvisories subscribe(NatsMessaging nats, ConsumerSpec spec, EventDispatcher dispatcher) {
        MaxDeliveriesAdvisories advisories = new MaxDeliveriesAdvisories(nats, spec, dispatcher);
        advisories.subscription.subscribe(subject(spec), spec.durable());
        nats.declarations().subscribes(new Declarations.Publication(subject(spec), null, null,
                "nats-server's advisory that it stopped delivering a message of " + spec.durable()
                        + " (io.nats.jetstream.advisory.v1.max_deliver): it is dead-lettered", Map.of()),
                spec.durable());
        return advisories;
    }

    /** {@code $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<durable>}. */
    static String subject(ConsumerSpec spec) {
        return SUBJECT_PREFIX + spec.stream() + "." + spec.durable();
    }

    private void onAdvisory(Message message) {
        Advisory advisory;
        try {
            advisory = nats.codec().decode(message.getData(), Advisory.class);
        } catch (MalformedMessageException e) {
            LOG.warning(() -> spec.durable() + ": unreadable MAX_DELIVERIES advisory ignored: " + e.getMessage());
            return;
        }
        if (!spec.stream().equals(advisory.stream()) || !spec.durable().equals(advisory.consumer())
                || advisory.streamSequence() < 1) {
            LOG.warning(() -> spec.durable() + ": MAX_DELIVERIES advisory for another consumer ignored: " + advisory);
            return;
        }
        try {
            workers.execute(() -> deadLetter(advisory)); // reads and publishes: not on the dispatcher's thread
        } catch (RejectedExecutionException e) {
            gaveUp(advisory, "the listener is stopping", e);
        }
    }

    private void deadLetter(Advisory advisory) {
        for (int attempt = 1; ; attempt++) {
            try {
                dispatcher.deadLetterUnsettled(advisory.streamSequence(), advisory.deliveries());
                return;
            } catch (MessagingException e) {
                if (attempt >= spec.maxDeliver()) {
                    gaveUp(advisory, attempt + " attempts failed", e);
                    return;
                }
                Duration delay = spec.retryDelay(attempt);
                LOG.info(() -> spec.durable() + ": dead-lettering " + spec.stream() + " #" + advisory.streamSequence()
                        + " failed, retry in " + delay.toMillis() + " ms: " + e.getMessage());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    gaveUp(advisory, "the listener stopped", e);
                    return;
                }
            }
        }
    }

    private void gaveUp(Advisory advisory, String why, Exception cause) {
        dispatcher.lost.increment();
        LOG.log(Level.SEVERE, spec.durable() + ": " + spec.stream() + " #" + advisory.streamSequence() + ", given up on"
                + " by nats-server after " + advisory.deliveries() + " deliveries, was not dead-lettered (" + why
                + "): lost for this consumer unless recovered by hand from the stream", cause);
    }

    /** Unsubscribes, then waits up to {@code drain} for advisories being handled and abandons (and logs) the rest. */
    void close(Duration drain) {
        try {
            nats.connection().closeDispatcher(subscription);
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "connection already closed", e); // the subscription went with it
        }
        workers.shutdown();
        try {
            if (workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
