package dev.bazaar.contracts.orders;

import dev.bazaar.contracts.VersionedEvent;
import java.time.Instant;
import java.util.UUID;

/** Event on {@value OrdersSubjects#ORDER_CONFIRMED}: payment was authorized, the order is final. */
public record OrderConfirmed(UUID eventId, UUID orderId, String customerId, UUID paymentId, Instant confirmedAt,
                             Integer schemaVersion) implements VersionedEvent {
    /** The version this code writes (see {@link VersionedEvent}). */
    public static final int SCHEMA_VERSION = 1;

    public OrderConfirmed {
        schemaVersion = VersionedEvent.readVersion(schemaVersion);
    }

    /** The event at {@link #SCHEMA_VERSION}, as producers build it. */
    public OrderConfirmed(UUID eventId, UUID orderId, String customerId, UUID paymentId, Instant confirmedAt) {
        this(eventId, orderId, customerId, paymentId, confirmedAt, SCHEMA_VERSION);
    }
}
