package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.MessagingTelemetry;
import dev.bazaar.messaging.NatsMessaging;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events to JetStream with {@code Nats-Msg-Id} = event id, so that a re-publish within the stream's
 * duplicate window (an outbox relay that crashed before marking its row) is stored once, and waits for the
 * acknowledgement. Each publish is a PRODUCER span {@code send <subject>} whose context travels in the headers.
 * Blocking; call it from a virtual thread. Services usually publish through the outbox rather than directly.
 */
public final class EventPublisher {
    /** How long {@link #publish(String, String, Object)} waits for JetStream's acknowledgement. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    private final NatsMessaging nats;
    private final MessagingTelemetry telemetry;
    private final JetStream jetStream;
    private final Duration ackTimeout;

    /** A publisher waiting {@link #DEFAULT_ACK_TIMEOUT} for acknowledgements. */
    public EventPublisher(NatsMessaging nats) {
        this(nats, DEFAULT_ACK_TIMEOUT);
    }

    /** A publisher waiting {@code ackTimeout} for acknowledgements. */
    public EventPublisher(NatsMessaging nats, Duration ackTimeout) {
        this.nats = Objects.requireNonNull(nats, "nats");
        StreamSettings.positive(ackTimeout, "ackTimeout");
        this.ackTimeout = ackTimeout;
        this.telemetry = new MessagingTelemetry(nats.openTelemetry());
        this.jetStream = JetStreamCall.run("JetStream context", () -> nats.connection().jetStream());
    }

    /**
     * Encodes {@code event} with the connection's codec and publishes it, in the current trace.
     *
     * @throws PublishRefusedException if JetStream refuses the message (e.g. a full stream); {@link
     *                                 NoStreamException} if no stream captures {@code subject}
     * @throws MessagingException      if no acknowledgement arrives in time or the connection fails; the event may
     *                                 then have been stored, so retry with the same id
     */
    public PublishResult publish(String subject, String eventId, Object event) {
        return publish(subject, eventId, nats.codec().encode(event), Context.current());
    }

    /** Publishes an encoded event as part of {@code parent}'s trace; see {@link #publish(String, String, Object)}. */
    public PublishResult publish(String subject, String eventId, byte[] payload, Context parent) {
        return publish(subject, eventId, payload, parent, ackTimeout);
    }

    /** Same as {@link #publish(String, String, byte[], Context)}, waiting at most {@code timeout} for the ack. */
    public PublishResult publish(String subject, String eventId, byte[] payload, Context parent, Duration timeout) {
        Objects.requireNonNull(eventId, "eventId");
        return send(subject, eventId, payload, new Headers(), parent, null, true, timeout);
    }

    /**
     * Creates again the streams declared on this publisher's connection that no longer exist (a publish was refused
     * with {@link NoStreamException}: the stream was deleted, or JetStream lost its store); returns their names.
     */
    public List<String> recreateMissingStreams() {
        return Streams.recreateMissing(nats);
    }

    /** True if a stream declared on this publisher's connection captures {@code subject} (see {@link Streams#isDeclaredFor}). */
    public boolean isDeclared(String subject) {
        return Streams.isDeclaredFor(nats, subject);
    }

    /** The OpenTelemetry instance spans and propagation come from (the relay restores stored contexts with it). */
    public OpenTelemetry openTelemetry() {
        return nats.openTelemetry();
    }

    MessagingTelemetry messagingTelemetry() {
        return telemetry;
    }

    Duration ackTimeout() {
        return ackTimeout;
    }

    /**
     * Sends an encoded event as part of {@code parent}'s trace without waiting for its acknowledgement: several sent
     * this way travel to JetStream back to back (stored in the order sent, on this one connection) instead of one
     * round trip each; {@link Pending#await()} each in turn. Never throws: a publish jnats refuses at once fails its
     * {@code await}.
     */
    public Pending publishAsync(String subject, String eventId, byte[] payload, Context parent, Duration timeout) {
        Objects.requireNonNull(eventId, "eventId");
        return start(subject, eventId, payload, new Headers(), parent, null, true, timeout);
    }

    /** A publish sent, its acknowledgement not yet awaited; its span ends when it is. */
    public final class Pending {
        private final String subject;
        private final Span span;
        private final Duration timeout;
        private final CompletableFuture<PublishAck> ack;
        private final MessagingException refusedAtOnce;

        private Pending(String subject, Span span, Duration timeout, CompletableFuture<PublishAck> ack,
                        MessagingException refusedAtOnce) {
            this.subject = subject;
            this.span = span;
            this.timeout = timeout;
            this.ack = ack;
            this.refusedAtOnce = refusedAtOnce;
        }

        /**
         * Waits for the acknowledgement.
         *
         * @throws PublishRefusedException as {@link #publish(String, String, Object)}
         * @throws MessagingException      as {@link #publish(String, String, Object)}
         */
        public PublishResult await() {
            try {
                if (refusedAtOnce != null) {
                    throw refusedAtOnce;
                }
                PublishAck stored = awaitAck(subject, ack, timeout);
                span.setAttribute(MessagingTelemetry.DUPLICATE, stored.isDuplicate());
                return new PublishResult(stored.getStream(), stored.getSeqno(), stored.isDuplicate());
            } catch (MessagingException e) {
                MessagingTelemetry.failed(span, e);
                throw e;
            } finally {
                span.end();
            }
        }

        /** Stops waiting (the message may still be stored): its span ends as not acknowledged. */
        public void abandon() {
            if (ack != null) {
                ack.cancel(true);
            }
            MessagingTelemetry.failed(span, new MessagingException("acknowledgement not awaited: an earlier publish failed"));
            span.end();
        }
    }

    /**
     * The one publish path, also used for dead letters and replays.
     *
     * @param headers     sent as given (copied), plus the trace context when {@code injectTrace}
     * @param link        linked from the send span (the trace a dead letter or replay comes from), or {@code null}
     * @param injectTrace false to keep a traceparent already in {@code headers} (a replay continues the original)
     */
    PublishResult send(String subject, String messageId, byte[] payload, Headers headers, Context parent,
                       SpanContext link, boolean injectTrace, Duration timeout) {
        return start(subject, messageId, payload, headers, parent, link, injectTrace, timeout).await();
    }

    @SuppressWarnings("try") // the scope only makes the span current
    private Pending start(String subject, String messageId, byte[] payload, Headers headers, Context parent,
                          SpanContext link, boolean injectTrace, Duration timeout) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(parent, "parent");
        Span span = telemetry.startSend(subject, messageId, parent, link);
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute(MessagingTelemetry.BODY_SIZE, (long) payload.length);
            Headers outgoing = new Headers(headers);
            if (injectTrace) {
                telemetry.inject(Context.current(), outgoing);
            }
            PublishOptions options = messageId == null ? null : PublishOptions.builder().messageId(messageId).build();
            return new Pending(subject, span, timeout, jetStream.publishAsync(subject, outgoing, payload, options), null);
        } catch (IllegalStateException e) {
            // jnats refuses to publish on a closed connection.
            return new Pending(subject, span, timeout, null,
                    new MessagingException("cannot publish to " + subject + ": " + e.getMessage(), e));
        } catch (IllegalArgumentException e) {
            // Checked by jnats before sending: invalid subject or header, payload above the server's limit.
            return new Pending(subject, span, timeout, null,
                    new PublishRefusedException("cannot publish to " + subject + ": " + e.getMessage(), e));
        }
    }

    private static PublishAck awaitAck(String subject, CompletableFuture<PublishAck> future, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new MessagingException("no JetStream acknowledgement for " + subject + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw refused(subject, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while publishing to " + subject, e);
        }
    }

    private static MessagingException refused(String subject, Throwable cause) {
        // jnats wraps the IOException of a 503 (no stream listens) in a RuntimeException.
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof JetStreamApiException)) {
            root = root.getCause();
        }
        String text = String.valueOf(root.getMessage());
        if (text.contains("503")) {
            return new NoStreamException("no stream captures " + subject, cause);
        }
        if (root instanceof JetStreamApiException) {
            return new PublishRefusedException("JetStream refused the publish to " + subject + ": " + text, cause);
        }
        return new MessagingException("publish to " + subject + " failed: " + text, cause);
    }
}
