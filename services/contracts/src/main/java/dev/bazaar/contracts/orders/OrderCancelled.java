package dev.bazaar.contracts.orders;

import dev.bazaar.contracts.VersionedEvent;
import java.time.Instant;
import java.util.UUID;

/** Event on {@value OrdersSubjects#ORDER_CANCELLED}: the order will not be fulfilled; its stock is to be released. */
public record OrderCancelled(UUID eventId, UUID orderId, String customerId, String reason, Instant cancelledAt,
                             Integer schemaVersion) implements VersionedEvent {
    /** The version this code writes (see {@link VersionedEvent}). */
    public static final int SCHEMA_VERSION = 1;

    public OrderCancelled {
        schemaVersion = VersionedEvent.readVersion(schemaVersion);
    }

    /** The event at {@link #SCHEMA_VERSION}, as producers build it. */
    public OrderCancelled(UUID eventId, UUID orderId, String customerId, String reason, Instant cancelledAt) {
        this(eventId, orderId, customerId, reason, cancelledAt, SCHEMA_VERSION);
    }
}
