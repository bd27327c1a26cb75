package dev.bazaar.contracts.orders;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Event on {@value OrdersSubjects#ORDER_PLACED}: an order was written and its stock reserved.
 * {@code paymentToken} is what the customer pays with (simulated provider: see payments' README).
 */
public record OrderPlaced(UUID eventId, UUID orderId, String customerId, Money total, List<OrderInfo.Line> lines,
                          String paymentToken, Instant placedAt) {
}
