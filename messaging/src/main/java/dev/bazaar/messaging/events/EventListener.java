package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.MessagingTelemetry;
import dev.bazaar.messaging.NatsMessaging;
import io.nats.client.api.ConsumerInfo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A durable consumer's processing loop: pulls messages and hands each to a virtual thread that decodes it, calls the
 * handler registered for its subject and settles it: {@code ack} on success, {@code nak} with the consumer's backoff
 * on failure, dead letter then {@code term} after {@code maxDeliver} failures or at once for poison (see {@link
 * EventHandler}, {@link ConsumerSpec}). At most {@code maxAckPending} handlers run at once.
 * <p>
 * A message whose last delivery nobody settled (an instance died mid-handler) is dead-lettered too, on nats-server's
 * MAX_DELIVERIES advisory, by whichever instance hears it ({@link MaxDeliveriesAdvisories}).
 * <p>
 * A dead letter is replayed through the listener of the consumer that gave up on it: {@link #reprocess(DeadLetter)}.
 * <p>
 * {@link Builder#start()} returns at once; the listener binds in the background and keeps retrying (100 ms growing
 * to 2 s) while the stream does not exist yet or NATS is unreachable, and binds again after any pull failure.
 */
public final class EventListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventListener.class.getName());

    private final NatsMessaging nats;
    private final ConsumerSpec spec;
    private final DeadLetters deadLetters;
    private final EventDispatcher dispatcher;
    private final ScheduledExecutorService heartbeats;
    private final PullLoop loop;
    private final MaxDeliveriesAdvisories advisories;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EventListener(NatsMessaging nats, ConsumerSpec spec, DeadLetters deadLetters, Map<String, Route<?>> routes) {
        this.nats = nats;
        this.spec = spec;
        this.deadLetters = deadLetters;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name(spec.durable() + "-in-progress").factory());
        this.dispatcher = new EventDispatcher(spec, routes, nats.codec(), new MessagingTelemetry(nats.openTelemetry()),
                deadLetters, heartbeats);
        this.loop = new PullLoop(spec, new ConsumerBinding(nats, spec), dispatcher);
        nats.events().onReconnected(loop::rebind);
        // Before the first pull: an advisory that pull triggers then reaches this subscription (same connection).
        this.advisories = MaxDeliveriesAdvisories.subscribe(nats, spec, dispatcher);
    }

    /** Starts describing the listener of durable consumer {@code consumer}, dead-lettering into {@code deadLetters}. */
    public static Builder builder(NatsMessaging nats, ConsumerSpec consumer, DeadLetters deadLetters) {
        return new Builder(nats, consumer, deadLetters);
    }

    /** True while the consumer exists and the connection is up: the readiness signal. */
    public boolean isBound() {
        return loop.bound() && nats.isConnected();
    }

    /** Messages handled successfully (acknowledged). */
    public long processed() {
        return dispatcher.processed.sum();
    }

    /** Deliveries received that were redeliveries (an earlier attempt failed, timed out or was lost). */
    public long redelivered() {
        return dispatcher.redelivered.sum();
    }

    /** Messages put into the dead-letter stream. */
    public long deadLettered() {
        return dispatcher.deadLettered.sum();
    }

    /**
     * Messages nats-server gave up on (their last delivery never settled) that could not be dead-lettered: no longer
     * in the stream, or storing failed on every attempt. Each is logged with its stream and sequence.
     */
    public long lost() {
        return dispatcher.lost.sum();
    }

    /** Messages acknowledged without handling because no handler was registered for their subject. */
    public long ignored() {
        return dispatcher.ignored.sum();
    }

    /** Dead letters reprocessed successfully through {@link #reprocess(DeadLetter)} (and so removed). */
    public long replayed() {
        return dispatcher.replayed.sum();
    }

    /**
     * Replays a dead letter of this listener's consumer by processing it again <em>here</em>, through the handler
     * registered for its original subject, instead of republishing it (a consumer may not publish on its producer's
     * subjects, and a republish would reach every consumer of the stream). The handler sees what it would see on a
     * first delivery of the original message: the event id from its {@code Nats-Msg-Id} (so the idempotent-consumer
     * guards apply), its original stream, sequence and headers, delivery count 1; it runs in a CONSUMER span
     * {@code process <subject>} that continues the dead letter's original {@code traceparent} and links to it.
     * <p>
     * On success the dead letter is removed from the dead-letter stream. On failure (including poison: an
     * undecodable payload or {@link PoisonEventException}) it is kept and the result says why, with the exception
     * class and message only. A dead letter of another consumer, or of another service's dead-letter stream, is
     * refused and kept. If it was processed but could not be removed (NATS unreachable), the result says so: delete
     * it, or replay it again (the guards make that harmless).
     */
    public ReplayResult reprocess(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        long sequence = deadLetter.sequence();
        if (!spec.durable().equals(deadLetter.consumer())) {
            return new ReplayResult(sequence, false, "dead letter " + sequence + " was given up on by consumer "
                    + (deadLetter.consumer() == null ? "(unknown)" : deadLetter.consumer()) + ", not by "
                    + spec.durable() + ": kept");
        }
        if (deadLetter.subject() == null || !deadLetter.subject().equals(deadLetters.subjectFor(deadLetter.originalSubject()))) {
            return new ReplayResult(sequence, false, "dead letter " + sequence + " (" + deadLetter.subject()
                    + ") is not in " + deadLetters.streamName() + ": kept");
        }
        if (closed.get()) {
            return new ReplayResult(sequence, false, "listener " + spec.durable() + " is stopped: kept");
        }
        ReplayResult result = dispatcher.reprocess(deadLetter);
        if (!result.replayed()) {
            return result;
        }
        try {
            String removed = deadLetters.delete(sequence) ? ", removed from " : ", already gone from ";
            return new ReplayResult(sequence, true, result.detail() + removed + deadLetters.streamName());
        } catch (MessagingException e) {
            LOG.log(Level.WARNING, "dead letter " + sequence + " reprocessed but not removed", e);
            return new ReplayResult(sequence, true, result.detail() + ", but removing it from "
                    + deadLetters.streamName() + " failed: delete it");
        }
    }

    /**
     * Messages the consumer has not finished: not yet delivered plus delivered but unsettled, across all instances.
     * Asks the server; -1 when it cannot tell (consumer not created yet, NATS unreachable).
     */
    public long pending() {
        try {
            ConsumerInfo info = JetStreamCall.run("read consumer " + spec.durable(), () ->
                    nats.connection().jetStreamManagement().getConsumerInfo(spec.stream(), spec.durable()));
            return info.getNumPending() + info.getNumAckPending();
        } catch (MessagingException e) {
            LOG.log(Level.FINE, "pending of " + spec.durable() + " unknown", e);
            return -1;
        }
    }

    /** The consumer this listener binds to. */
    public ConsumerSpec spec() {
        return spec;
    }

    /**
     * Stops pulling, waits up to the connection's drain timeout for running handlers (their settlements go out),
     * then leaves the advisories' queue group, waiting as long again for dead letters it is storing, then stops. The durable consumer stays on the server: another instance, or a restart, resumes where this one
     * was; unsettled messages are redelivered. Call it before closing the connection. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration drain = nats.settings().drainTimeout();
        try {
            if (!loop.stop(drain)) {
                LOG.warning(() -> spec.durable() + ": handlers still running after " + drain + ", left to redelivery");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            advisories.close(drain); // after the last pull, which may have triggered one
            heartbeats.shutdownNow();
        }
        LOG.info(() -> "listener " + spec.durable() + " stopped");
    }

    /** Collects handlers by subject, then {@link #start()}s. Not thread-safe; use it once. */
    public static final class Builder {
        private final NatsMessaging nats;
        private final ConsumerSpec spec;
        private final DeadLetters deadLetters;
        private final Map<String, Route<?>> routes = new LinkedHashMap<>();

        private Builder(NatsMessaging nats, ConsumerSpec spec, DeadLetters deadLetters) {
            this.nats = Objects.requireNonNull(nats, "nats");
            this.spec = Objects.requireNonNull(spec, "consumer");
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        }

        /**
         * Handles events published to exactly {@code subject} (no wildcards) as {@code type}.
         *
         * @throws IllegalArgumentException if {@code subject} already has a handler or contains a wildcard
         */
        public <E> Builder on(String subject, Class<E> type, EventHandler<E> handler) {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            if (subject.contains("*") || subject.contains(">")) {
                throw new IllegalArgumentException("handlers take exact subjects: " + subject);
            }
            if (routes.putIfAbsent(subject, new Route<>(subject, type, handler)) != null) {
                throw new IllegalArgumentException("two handlers for " + subject);
            }
            return this;
        }

        /** Starts the listener and returns at once; {@link EventListener#isBound()} tells when it consumes. */
        public EventListener start() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("listener " + spec.durable() + " has no handlers");
            }
            EventListener listener = new EventListener(nats, spec, deadLetters, routes);
            routes.values().forEach(route -> nats.declarations().consumes(spec, route.subject(), route.type()));
            listener.loop.start();
            return listener;
        }
    }
}
