package dev.bazaar.contracts.orders;

import java.time.Instant;
import java.util.UUID;

/** Event on {@value OrdersSubjects#ORDER_CONFIRMED}: payment was authorized, the order is final. */
public record OrderConfirmed(UUID eventId, UUID orderId, String customerId, UUID paymentId, Instant confirmedAt) {
}
