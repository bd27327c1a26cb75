package dev.bazaar.orders;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order: its lines, total in one currency, current status and the history of how it got there. */
public record Order(UUID id, String customerId, OrderStatus status, Money total, List<OrderLine> lines,
                    Instant placedAt, List<StatusChange> history) {
    public Order {
        lines = List.copyOf(lines);
        history = List.copyOf(history);
    }
}
