package dev.bazaar.orders;

import java.time.Instant;

/** One entry of an order's status history. */
public record StatusChange(OrderStatus status, String reason, Instant at) {
}
