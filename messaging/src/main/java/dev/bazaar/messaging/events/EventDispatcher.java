package dev.bazaar.messaging.events;

import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.MalformedMessageException;
import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.MessagingTelemetry;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Handles one delivery and settles it: the decode / trace / settle loop services never write.
 * <ul>
 *   <li>handler returns: {@code ack};</li>
 *   <li>handler throws: {@code nakWithDelay(backoff[n-1])} on the n-th delivery. Client-side because nats-server
 *       redelivers a plain nak at once, whatever the consumer's backoff (its backoff only times unsettled
 *       deliveries);</li>
 *   <li>it throws on the last allowed delivery ({@code maxDeliver}): dead letter {@code max-deliver}, then
 *       {@code term};</li>
 *   <li>the payload does not decode, or the handler throws {@link PoisonEventException}: dead letter
 *       {@code poison} at once, then {@code term};</li>
 *   <li>no handler for the subject: {@code ack} (logged FINE), the consumer's filter is wider than its routes.</li>
 * </ul>
 * If a dead letter cannot be stored, the message is nak'ed instead, never terminated: nothing is dropped silently.
 * A message nats-server stops delivering without any of this (its last delivery never settled) is dead-lettered by
 * {@link #deadLetterUnsettled}, on the server's advisory.
 * While a handler runs, in-progress signals keep NATS from redelivering it to another instance. A dead letter is
 * replayed by {@link #reprocess(DeadLetter)}: the same route, the same context semantics, locally.
 */
final class EventDispatcher {
    private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());
    private static final long MIN_HEARTBEAT_MILLIS = 20;

    private final ConsumerSpec spec;
    private final Map<String, Route<?>> routes;
    private final JsonCodec codec;
    private final MessagingTelemetry telemetry;
    private final DeadLetters deadLetters;
    private final ScheduledExecutorService heartbeats;
    final LongAdder processed = new LongAdder();
    final LongAdder redelivered = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder replayed = new LongAdder();
    final LongAdder lost = new LongAdder();

    EventDispatcher(ConsumerSpec spec, Map<String, Route<?>> routes, JsonCodec codec, MessagingTelemetry telemetry,
                    DeadLetters deadLetters, ScheduledExecutorService heartbeats) {
        this.spec = spec;
        this.routes = Map.copyOf(routes);
        this.codec = codec;
        this.telemetry = telemetry;
        this.deadLetters = deadLetters;
        this.heartbeats = heartbeats;
    }

    @SuppressWarnings("try") // the scope only makes the span current
    void dispatch(Message message) {
        NatsJetStreamMetaData meta = message.metaData();
        long deliveries = meta.deliveredCount();
        if (deliveries > 1) {
            redelivered.increment();
        }
        EventContext context = contextOf(message, meta);
        byte[] payload = message.getData() == null ? new byte[0] : message.getData();
        Span span = telemetry.startConsume(message.getSubject(), spec.durable(), message.getHeaders(),
                context.eventId(), deliveries, payload.length);
        ScheduledFuture<?> heartbeat = keepInProgress(message, spec.serverAckWait(deliveries));
        try (Scope ignoredScope = span.makeCurrent()) {
            Route<?> route = routes.get(message.getSubject());
            if (route == null) {
                LOG.fine(() -> spec.durable() + ": no handler for " + message.getSubject() + ", acknowledged");
                message.ack();
                ignored.increment();
                return;
            }
            try {
                route.handle(codec, payload, context);
            } catch (MalformedMessageException | PoisonEventException e) {
                MessagingTelemetry.failed(span, e);
                deadLetter(message, DeadLetter.POISON, e, deliveries);
                return;
            } catch (Exception | LinkageError | AssertionError e) {
                MessagingTelemetry.failed(span, e);
                retryOrDeadLetter(message, context, e);
                return;
            }
            message.ack();
            processed.increment();
        } finally {
            heartbeat.cancel(false);
            span.end();
        }
    }

    private void retryOrDeadLetter(Message message, EventContext context, Throwable error) {
        long deliveries = context.deliveryCount();
        if (deliveries >= spec.maxDeliver()) {
            deadLetter(message, DeadLetter.MAX_DELIVER, error, deliveries);
            return;
        }
        Duration delay = spec.retryDelay(deliveries);
        // One line per failed attempt (the span has the stack trace); the dead letter logs the full story.
        LOG.info(() -> spec.durable() + ": " + context.subject() + " #" + context.streamSequence() + " failed on delivery "
                + deliveries + "/" + spec.maxDeliver() + ", retry in " + delay.toMillis() + " ms: "
                + DeadLetterFormat.describe(error));
        message.nakWithDelay(delay);
    }

    private void deadLetter(Message message, String reason, Throwable error, long deliveries) {
        try {
            PublishResult stored = deadLetters.store(message, spec.durable(), reason, error);
            message.term();
            deadLettered.increment();
            LOG.log(Level.WARNING, error, () -> spec.durable() + ": " + message.getSubject() + " dead-lettered ("
                    + reason + ", " + deliveries + " deliveries) as " + stored.stream() + " #" + stored.sequence());
        } catch (MessagingException e) {
            // Not stored: leave it to JetStream rather than lose it (redelivered while deliveries remain).
            LOG.log(Level.SEVERE, spec.durable() + ": could not dead-letter " + message.getSubject() + " #"
                    + message.metaData().streamSequence() + " (" + reason + "), nak'ed instead", e);
            message.nakWithDelay(spec.retryDelay(deliveries));
        }
    }

    /**
     * Dead-letters message {@code sequence} of the consumer's stream, which nats-server stopped delivering after
     * {@code deliveries} without a settlement that ended it (see {@link DeadLetter#MAX_DELIVER_UNSETTLED}). If this
     * dispatcher already dead-lettered it (its {@code term} was lost), the duplicate window keeps one dead letter. A
     * message no longer in the stream cannot be dead-lettered: counted as lost.
     *
     * @throws MessagingException if it could not be read or stored; the caller may try again
     */
    void deadLetterUnsettled(long sequence, long deliveries) {
        String error = "nats-server gave up after " + deliveries + " deliveries: the last was not settled (instance "
                + "stopped or disconnected mid-handler, ack lost) or its dead letter could not be stored";
        PublishResult stored = deadLetters.storeFromStream(spec.stream(), sequence, deliveries, spec.durable(),
                DeadLetter.MAX_DELIVER_UNSETTLED, error).orElse(null);
        if (stored == null) {
            lost.increment();
            LOG.warning(() -> spec.durable() + ": " + spec.stream() + " #" + sequence + ", given up on by nats-server "
                    + "after " + deliveries + " deliveries, is no longer in the stream: lost, not dead-lettered");
        } else if (stored.duplicate()) {
            LOG.fine(() -> spec.durable() + ": " + spec.stream() + " #" + sequence + " was already dead-lettered");
        } else {
            deadLettered.increment();
            LOG.warning(() -> spec.durable() + ": " + spec.stream() + " #" + sequence + " dead-lettered ("
                    + DeadLetter.MAX_DELIVER_UNSETTLED + ", " + deliveries + " deliveries) as " + stored.stream()
                    + " #" + stored.sequence());
        }
    }

    private ScheduledFuture<?> keepInProgress(Message message, Duration ackWait) {
        long period = Math.max(MIN_HEARTBEAT_MILLIS, ackWait.toMillis() / 2);
        return heartbeats.scheduleAtFixedRate(() -> {
            try {
                message.inProgress();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "in-progress signal failed", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a dead letter of this consumer through its handler again, as a first delivery of the original message:
     * same event id (so the idempotent-consumer guards apply), delivery count 1, a CONSUMER span
     * {@code process <subject>} continuing the original trace and linked to it. Nothing is settled (the original
     * was terminated); the caller removes the dead letter on success.
     */
    @SuppressWarnings("try") // the scope only makes the span current
    ReplayResult reprocess(DeadLetter letter) {
        String subject = letter.originalSubject();
        Route<?> route = routes.get(subject);
        if (route == null) {
            return new ReplayResult(letter.sequence(), false, "consumer " + spec.durable() + " has no handler for "
                    + subject + ": kept");
        }
        Map<String, String> headers = letter.headers() == null ? Map.of() : letter.headers();
        String eventId = letter.eventId() != null ? letter.eventId()
                : letter.originalStream() + ":" + letter.originalSequence();
        EventContext context = new EventContext(subject, eventId, letter.originalStream(), letter.originalSequence(),
                1, headers);
        byte[] payload = letter.payload() == null ? new byte[0] : letter.payload().getBytes(StandardCharsets.UTF_8);
        Headers carrier = new Headers();
        headers.forEach(carrier::put);
        Span span = telemetry.startConsume(subject, spec.durable(), carrier, eventId, 1, payload.length);
        try (Scope ignoredScope = span.makeCurrent()) {
            route.handle(codec, payload, context);
        } catch (Exception | LinkageError | AssertionError e) {
            MessagingTelemetry.failed(span, e);
            LOG.log(Level.WARNING, e, () -> spec.durable() + ": dead letter " + letter.sequence() + " (" + subject
                    + ") failed again on replay, kept");
            return new ReplayResult(letter.sequence(), false, "reprocessing by " + spec.durable() + " failed: "
                    + DeadLetterFormat.describe(e) + "; kept");
        } finally {
            span.end();
        }
        replayed.increment();
        LOG.info(() -> spec.durable() + ": dead letter " + letter.sequence() + " (" + subject + ", event " + eventId
                + ") reprocessed");
        return new ReplayResult(letter.sequence(), true, "reprocessed by " + spec.durable() + " as event " + eventId
                + " on " + subject);
    }

    private static EventContext contextOf(Message message, NatsJetStreamMetaData meta) {
        Map<String, String> headers = HeaderValues.firstOf(message.getHeaders());
        String eventId = headers.get(DeadLetterFormat.NATS_MSG_ID);
        if (eventId == null) {
            eventId = meta.getStream() + ":" + meta.streamSequence();
        }
        return new EventContext(message.getSubject(), eventId, meta.getStream(), meta.streamSequence(),
                meta.deliveredCount(), headers);
    }
}
