package dev.bazaar.orders;

import java.util.UUID;

/** An event a use case emits; the repository stores it with the state change, in the same transaction. */
public record OutgoingEvent(String subject, UUID eventId, Object payload) {
}
