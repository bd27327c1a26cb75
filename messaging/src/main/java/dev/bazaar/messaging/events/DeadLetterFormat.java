package dev.bazaar.messaging.events;

import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;

import java.nio.charset.StandardCharsets;

/**
 * How a dead letter is stored: the original headers plus {@code Dead-Letter-*} ones. Its own {@code Nats-Msg-Id} is
 * {@code <consumer>:<stream>:<sequence>}, so that two consumers of one service, or a replayed message that fails
 * again, never collide in the dead-letter stream's duplicate window, while one message that both the dispatcher and
 * the MAX_DELIVERIES advisory dead-letter is stored once; the event id moves to {@code Dead-Letter-Msg-Id}
 * and comes back in {@link DeadLetter#headers()} and, on replay, in the handler's
 * {@link EventContext}.
 */
final class DeadLetterFormat {
    static final String REASON = "Dead-Letter-Reason";
    static final String ERROR = "Dead-Letter-Error";
    static final String DELIVERIES = "Dead-Letter-Deliveries";
    static final String STREAM = "Dead-Letter-Stream";
    static final String SEQUENCE = "Dead-Letter-Sequence";
    static final String CONSUMER = "Dead-Letter-Consumer";
    static final String MSG_ID = "Dead-Letter-Msg-Id";
    static final String NATS_MSG_ID = "Nats-Msg-Id";
    private static final String PREFIX = "Dead-Letter-";
    private static final int MAX_ERROR_LENGTH = 512;

    private DeadLetterFormat() {
    }

    /** The headers to store a delivery with. */
    static Headers headers(Message message, String consumer, String reason, Throwable error) {
        NatsJetStreamMetaData meta = message.metaData();
        return headers(message.getHeaders(), meta.getStream(), meta.streamSequence(), meta.deliveredCount(), consumer,
                reason, describe(error));
    }

    /** The headers to store a message read back from {@code stream} with (no delivery at hand). */
    static Headers headers(Headers original, String stream, long sequence, long deliveries, String consumer,
                           String reason, String error) {
        Headers headers = original == null ? new Headers() : new Headers(original);
        String eventId = headers.getFirst(NATS_MSG_ID);
        headers.remove(NATS_MSG_ID);
        if (eventId != null) {
            headers.put(MSG_ID, eventId);
        }
        return headers.put(REASON, reason)
                .put(ERROR, error)
                .put(DELIVERIES, Long.toString(deliveries))
                .put(STREAM, stream)
                .put(SEQUENCE, Long.toString(sequence))
                .put(CONSUMER, consumer);
    }

    /** The dead letter's own message id: the same whichever path dead-letters the message. */
    static String messageId(String consumer, String stream, long sequence) {
        return consumer + ":" + stream + ":" + sequence;
    }

    /** Reads a stored dead letter; {@code subjectPrefix} is {@code <service>.dead-letters.}. */
    static DeadLetter read(MessageInfo info, String subjectPrefix) {
        Headers headers = info.getHeaders() == null ? new Headers() : info.getHeaders();
        String subject = info.getSubject();
        String original = subject.startsWith(subjectPrefix) ? subject.substring(subjectPrefix.length()) : subject;
        return new DeadLetter(info.getSeq(), subject, original, headers.getFirst(STREAM),
                number(headers.getFirst(SEQUENCE)), headers.getFirst(MSG_ID), headers.getFirst(CONSUMER),
                headers.getFirst(REASON), headers.getFirst(ERROR), number(headers.getFirst(DELIVERIES)),
                info.getTime() == null ? null : info.getTime().toInstant(),
                info.getData() == null ? "" : new String(info.getData(), StandardCharsets.UTF_8),
                HeaderValues.firstOf(originalHeaders(headers, true)));
    }

    /**
     * The headers the message was published with: no {@code Dead-Letter-*}; the event id as {@code Nats-Msg-Id} if
     * {@code withMessageId} (a replay sets it through the publish options instead).
     */
    static Headers originalHeaders(Headers stored, boolean withMessageId) {
        Headers original = new Headers();
        if (stored == null) {
            return original;
        }
        stored.forEach((key, values) -> {
            if (!key.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && !key.equalsIgnoreCase(NATS_MSG_ID)) {
                original.put(key, values);
            }
        });
        String eventId = stored.getFirst(MSG_ID);
        if (withMessageId && eventId != null) {
            original.put(NATS_MSG_ID, eventId);
        }
        return original;
    }

    /** Exception class and message on one printable-ASCII line (it is a header value), truncated. */
    static String describe(Throwable error) {
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_ERROR_LENGTH));
        for (int i = 0; i < text.length() && line.length() < MAX_ERROR_LENGTH; i++) {
            char c = text.charAt(i);
            line.append(c >= 0x20 && c <= 0x7e ? c : Character.isWhitespace(c) ? ' ' : '?');
        }
        return line.toString();
    }

    private static long number(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
