package dev.bazaar.orders.http;

import dev.bazaar.contracts.Money;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderLine;
import dev.bazaar.orders.StatusChange;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order on the wire. */
public record OrderBody(UUID id, String customerId, String status, Money total, List<LineBody> lines,
                        Instant placedAt, List<StatusBody> history) {
    /** One line on the wire. */
    public record LineBody(UUID productId, String sku, String name, int quantity, Money unitPrice, Money lineTotal) {
        static LineBody of(OrderLine line) {
            return new LineBody(line.productId(), line.sku(), line.name(), line.quantity(), line.unitPrice(),
                    line.lineTotal());
        }
    }

    /** One status change on the wire. */
    public record StatusBody(String status, String reason, Instant at) {
        static StatusBody of(StatusChange change) {
            return new StatusBody(change.status().name(), change.reason(), change.at());
        }
    }

    static OrderBody of(Order order) {
        return new OrderBody(order.id(), order.customerId(), order.status().name(), order.total(),
                order.lines().stream().map(LineBody::of).toList(), order.placedAt(),
                order.history().stream().map(StatusBody::of).toList());
    }
}
