package dev.bazaar.contracts.orders;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as other services see it; {@code status} is PLACED, CONFIRMED or CANCELLED. */
public record OrderInfo(UUID id, String customerId, String status, Money total, List<Line> lines, Instant placedAt) {
    /** One line of the order. */
    public record Line(UUID productId, String sku, int quantity, Money unitPrice) {
    }
}
