package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.asyncapi.Declarations;
import dev.bazaar.messaging.NatsMessaging;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One service's dead-letter stream, {@code DLQ_<SERVICE>} on {@code <service>.dead-letters.>}: where its listeners
 * put the messages they gave up on, and where an operator lists, reads or deletes them. A dead letter keeps the
 * original payload and headers (its {@code traceparent} still points at the original trace) plus
 * {@code Dead-Letter-Reason}, {@code -Error}, {@code -Deliveries}, {@code -Stream}, {@code -Sequence},
 * {@code -Consumer} and {@code -Msg-Id} headers.
 * <p>
 * Replaying is not done here by republishing to the original subject: a consuming service may not publish on its
 * producer's subjects ({@code config/nats/auth.conf}), and a republish would reach every consumer of the stream.
 * The listener of the consumer that gave up processes it again locally: {@link EventListener#reprocess(DeadLetter)}.
 */
public final class DeadLetters {
    private final EventPublisher publisher;
    private final JetStreamManagement jsm;
    private final String streamName;
    private final String subjectPrefix;

    private DeadLetters(EventPublisher publisher, JetStreamManagement jsm, String streamName, String subjectPrefix) {
        this.publisher = publisher;
        this.jsm = jsm;
        this.streamName = streamName;
        this.subjectPrefix = subjectPrefix;
    }

    /**
     * The dead letters of {@code service} (lower-case kebab, e.g. {@code payments}); creates or updates its stream.
     *
     * @throws MessagingException if the stream cannot be ensured (NATS unreachable, JetStream refuses)
     */
    public static DeadLetters forService(NatsMessaging nats, String service, StreamSettings settings) {
        Objects.requireNonNull(service, "service");
        if (!service.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("service name must be lower-case kebab: '" + service + "'");
        }
        String stream = "DLQ_" + service.toUpperCase(Locale.ROOT);
        String prefix = service + ".dead-letters.";
        Streams.ensure(nats, new StreamSpec(stream, List.of(prefix + ">")), settings);
        nats.declarations().publishes(new Declarations.Publication(prefix + "{subject}", null, stream,
                "a message a consumer of this service gave up on, with its original headers and payload",
                Map.of("subject", "the original subject, e.g. orders.events.order-placed")));
        JetStreamManagement jsm = JetStreamCall.run("JetStream management", () -> nats.connection().jetStreamManagement());
        return new DeadLetters(new EventPublisher(nats), jsm, stream, prefix);
    }

    /** {@code DLQ_<SERVICE>}. */
    public String streamName() {
        return streamName;
    }

    /** Where a message from {@code originalSubject} is dead-lettered: {@code <service>.dead-letters.<subject>}. */
    public String subjectFor(String originalSubject) {
        return subjectPrefix + originalSubject;
    }

    /** Up to {@code limit} dead letters, oldest first. */
    public List<DeadLetter> list(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<DeadLetter> letters = new ArrayList<>();
        long next = 1;
        while (letters.size() < limit) {
            Optional<MessageInfo> info = read("list dead letters", next, true);
            if (info.isEmpty()) {
                break;
            }
            letters.add(DeadLetterFormat.read(info.get(), subjectPrefix));
            next = info.get().getSeq() + 1;
        }
        return letters;
    }

    /** The dead letter at {@code sequence}, if it is (still) there. */
    public Optional<DeadLetter> get(long sequence) {
        return read("read dead letter " + sequence, sequence, false)
                .map(info -> DeadLetterFormat.read(info, subjectPrefix));
    }

    /** Removes the dead letter; false if there was none at {@code sequence}. */
    public boolean delete(long sequence) {
        try {
            return JetStreamCall.run("delete dead letter " + sequence, () -> jsm.deleteMessage(streamName, sequence));
        } catch (JetStreamCall.Failed e) {
            if (e.apiCode() == JetStreamCall.NO_MESSAGE_TO_DELETE || e.apiCode() == JetStreamCall.NO_MESSAGE_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Stores a delivery as a dead letter. The send span is a child of the current (processing) span, so in the
     * original trace, and linked to the original producer.
     *
     * @throws MessagingException if it could not be stored; the caller must then not terminate the message
     */
    PublishResult store(Message message, String consumer, String reason, Throwable error) {
        Headers headers = DeadLetterFormat.headers(message, consumer, reason, error);
        String id = DeadLetterFormat.messageId(consumer, message.metaData().getStream(),
                message.metaData().streamSequence());
        return send(message.getSubject(), id, message.getData(), headers, Context.current());
    }

    /**
     * Stores message {@code sequence} of {@code stream}, read back from the stream, as a dead letter: for a message
     * nats-server gave up on with no delivery at hand. Same format and message id as {@link #store}, so a message
     * already dead-lettered that way within the duplicate window is not stored again (the result says duplicate).
     * The send span continues the original trace.
     *
     * @return empty if the message (or its stream) is no longer there
     * @throws MessagingException if it could not be read or stored
     */
    Optional<PublishResult> storeFromStream(String stream, long sequence, long deliveries, String consumer,
                                            String reason, String error) {
        MessageInfo original;
        try {
            original = JetStreamCall.run("read " + stream + " #" + sequence, () -> jsm.getMessage(stream, sequence));
        } catch (JetStreamCall.Failed e) {
            if (e.apiCode() == JetStreamCall.NO_MESSAGE_FOUND || e.apiCode() == JetStreamCall.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        Headers headers = DeadLetterFormat.headers(original.getHeaders(), stream, sequence, deliveries, consumer,
                reason, error);
        return Optional.of(send(original.getSubject(), DeadLetterFormat.messageId(consumer, stream, sequence),
                original.getData(), headers, publisher.messagingTelemetry().extract(headers)));
    }

    private PublishResult send(String originalSubject, String messageId, byte[] payload, Headers headers,
                               Context parent) {
        return publisher.send(subjectFor(originalSubject), messageId, payload == null ? new byte[0] : payload,
                headers, parent, traceOf(headers), false, publisher.ackTimeout());
    }

    private SpanContext traceOf(Headers headers) {
        return Span.fromContext(publisher.messagingTelemetry().extract(headers)).getSpanContext();
    }

    private Optional<MessageInfo> read(String what, long sequence, boolean orNext) {
        try {
            return Optional.of(JetStreamCall.run(what, () -> orNext
                    ? jsm.getNextMessage(streamName, sequence, subjectPrefix + ">")
                    : jsm.getMessage(streamName, sequence)));
        } catch (JetStreamCall.Failed e) {
            if (e.apiCode() == JetStreamCall.NO_MESSAGE_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
