package dev.bazaar.orders;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An order: its lines, total in one currency, current status and the history of how it got there. */
public record Order(UUID id, String customerId, OrderStatus status, Money total, List<OrderLine> lines,
                    Instant placedAt, List<StatusChange> history) {
    public Order {
        lines = List.copyOf(lines);
        history = List.copyOf(history);
    }

    /**
     * This order moved to {@code target} (the change recorded in its history), or empty when it may not move there:
     * transitions only go forward, so a late, repeated or out-of-order event changes nothing.
     */
    public Optional<Order> moveTo(OrderStatus target, String reason, Instant at) {
        if (!status.canMoveTo(target)) {
            return Optional.empty();
        }
        List<StatusChange> moved = new ArrayList<>(history);
        moved.add(new StatusChange(target, reason, at));
        return Optional.of(new Order(id, customerId, target, total, lines, placedAt, moved));
    }
}
