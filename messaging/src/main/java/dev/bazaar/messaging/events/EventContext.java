package dev.bazaar.messaging.events;

import java.util.Map;

/**
 * What the listener knows about the delivery being handled.
 *
 * @param subject        the subject the event was published to
 * @param eventId        its {@code Nats-Msg-Id} (the event id); for a message published without one,
 *                       {@code <stream>:<sequence>}, which is as stable across redeliveries
 * @param stream         the stream that stored it
 * @param streamSequence its sequence in that stream
 * @param deliveryCount  1 on the first delivery, more on redeliveries
 * @param headers        its headers (the first value of each), unmodifiable
 */
public record EventContext(String subject, String eventId, String stream, long streamSequence, long deliveryCount,
                           Map<String, String> headers) {

    public EventContext {
        headers = Map.copyOf(headers);
    }

    /** True when this is not the first delivery: an earlier attempt failed, timed out, or was lost. */
    public boolean redelivered() {
        return deliveryCount > 1;
    }
}
