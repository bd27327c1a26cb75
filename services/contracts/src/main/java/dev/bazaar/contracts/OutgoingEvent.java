package dev.bazaar.contracts;

import java.util.UUID;

/**
 * An event a use case emits: its subject, its id ({@code Nats-Msg-Id}) and its payload (a contracts record). The
 * repository stores it with the state change, in the same transaction (the outbox).
 */
public record OutgoingEvent(String subject, UUID eventId, Object payload) {
}
