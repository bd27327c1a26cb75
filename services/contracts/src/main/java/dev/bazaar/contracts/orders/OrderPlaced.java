package dev.bazaar.contracts.orders;

import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.VersionedEvent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Event on {@value OrdersSubjects#ORDER_PLACED}: an order was written and its stock reserved.
 * {@code paymentToken} is what the customer pays with (simulated provider: see payments' README).
 */
public record OrderPlaced(UUID eventId, UUID orderId, String customerId, Money total, List<OrderInfo.Line> lines,
                          String paymentToken, Instant placedAt,
                          Integer schemaVersion) implements VersionedEvent {
    /** The version this code writes (see {@link VersionedEvent}). */
    public static final int SCHEMA_VERSION = 1;

    public OrderPlaced {
        schemaVersion = VersionedEvent.readVersion(schemaVersion);
    }

    /** The event at {@link #SCHEMA_VERSION}, as producers build it. */
    public OrderPlaced(UUID eventId, UUID orderId, String customerId, Money total, List<OrderInfo.Line> lines,
                       String paymentToken, Instant placedAt) {
        this(eventId, orderId, customerId, total, lines, paymentToken, placedAt, SCHEMA_VERSION);
    }
}
