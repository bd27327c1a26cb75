package dev.bazaar.messaging.events;

/**
 * JetStream's acknowledgement of a publish.
 *
 * @param stream    the stream that stored the message
 * @param sequence  its sequence in that stream (for a duplicate: the sequence of the message stored first)
 * @param duplicate true when JetStream dropped it because the same {@code Nats-Msg-Id} was stored within the
 *                  stream's duplicate window: the event is stored once, which is what a retry wants
 */
public record PublishResult(String stream, long sequence, boolean duplicate) {
}
