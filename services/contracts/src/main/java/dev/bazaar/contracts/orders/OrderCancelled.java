package dev.bazaar.contracts.orders;

import java.time.Instant;
import java.util.UUID;

/** Event on {@value OrdersSubjects#ORDER_CANCELLED}: the order will not be fulfilled; its stock is to be released. */
public record OrderCancelled(UUID eventId, UUID orderId, String customerId, String reason, Instant cancelledAt) {
}
