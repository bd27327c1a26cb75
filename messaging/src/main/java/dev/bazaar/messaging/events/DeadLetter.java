package dev.bazaar.messaging.events;

import java.time.Instant;
import java.util.Map;

/**
 * A message a consumer gave up on, as stored in the service's dead-letter stream.
 *
 * @param sequence         its sequence in the dead-letter stream (the handle for get, replay and delete)
 * @param subject          its subject there: {@code <service>.dead-letters.<original subject>}
 * @param originalSubject  the subject it was published to
 * @param originalStream   the stream it came from
 * @param originalSequence its sequence in that stream
 * @param eventId          its {@code Nats-Msg-Id}, or {@code null} if it had none
 * @param consumer         the durable consumer that gave up
 * @param reason           {@code max-deliver} (failed on every delivery), {@code max-deliver-unsettled} (nats-server
 *                         gave up after its last delivery went unsettled) or {@code poison} (undecodable, or the
 *                         handler said so)
 * @param lastError        the last failure: exception class and message, truncated
 * @param deliveryCount    deliveries made before giving up
 * @param deadAt           when it was dead-lettered
 * @param payload          the original payload as UTF-8 text
 * @param headers          the original headers (first value of each, {@code Nats-Msg-Id} restored) that a replay
 *                         hands to the handler again
 */
public record DeadLetter(long sequence, String subject, String originalSubject, String originalStream,
                         long originalSequence, String eventId, String consumer, String reason, String lastError,
                         long deliveryCount, Instant deadAt, String payload, Map<String, String> headers) {

    /** {@code reason} of a message that failed on its last allowed delivery. */
    public static final String MAX_DELIVER = "max-deliver";
    /**
     * {@code reason} of a message nats-server stopped delivering after {@code maxDeliver} deliveries without the
     * listener dead-lettering it: its last delivery was never settled (the instance died or lost its connection
     * mid-handler, the ack was lost) or storing its dead letter failed. Found through the server's MAX_DELIVERIES
     * advisory; the handler's outcome is unknown, so it may have been applied after all (a replay is then skipped by
     * the idempotent-consumer guard).
     */
    public static final String MAX_DELIVER_UNSETTLED = "max-deliver-unsettled";
    /** {@code reason} of a message that could not be decoded or that the handler called poison. */
    public static final String POISON = "poison";
}
