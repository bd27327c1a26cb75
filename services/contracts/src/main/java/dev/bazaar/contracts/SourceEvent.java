package dev.bazaar.contracts;

/**
 * The event a use case acts on, named by the consumer that received it and its event id: the one shape of an
 * idempotency key. The pair is recorded with the effect, so that a redelivery is recognised and changes nothing.
 */
public record SourceEvent(String consumer, String eventId) {
    public SourceEvent {
        if (consumer == null || consumer.isBlank() || eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("consumer and eventId are required");
        }
    }
}
