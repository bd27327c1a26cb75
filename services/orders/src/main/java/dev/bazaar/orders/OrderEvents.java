package dev.bazaar.orders;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderConfirmed;
import dev.bazaar.contracts.orders.OrderInfo;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.orders.PaymentTokenSeal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The events orders publishes, made from the order they describe. */
final class OrderEvents {
    private final Supplier<UUID> ids;
    private final PaymentTokenSeal paymentTokens;

    OrderEvents(Supplier<UUID> ids, PaymentTokenSeal paymentTokens) {
        this.ids = ids;
        this.paymentTokens = paymentTokens;
    }

    /** Order-placed, its payment token sealed for payments: every consumer of orders' stream reads this event. */
    OutgoingEvent placed(Order order, String paymentToken) {
        UUID eventId = ids.get();
        List<OrderInfo.Line> lines = order.lines().stream()
                .map(l -> new OrderInfo.Line(l.productId(), l.sku(), l.quantity(), l.unitPrice()))
                .toList();
        return new OutgoingEvent(OrdersSubjects.ORDER_PLACED, eventId, new OrderPlaced(eventId, order.id(),
                order.customerId(), order.total(), lines, paymentTokens.seal(order.id(), paymentToken), order.placedAt()));
    }

    OutgoingEvent confirmed(Order order, UUID paymentId, Instant at) {
        UUID eventId = ids.get();
        return new OutgoingEvent(OrdersSubjects.ORDER_CONFIRMED, eventId,
                new OrderConfirmed(eventId, order.id(), order.customerId(), paymentId, at));
    }

    OutgoingEvent cancelled(Order order, String reason, Instant at) {
        UUID eventId = ids.get();
        return new OutgoingEvent(OrdersSubjects.ORDER_CANCELLED, eventId,
                new OrderCancelled(eventId, order.id(), order.customerId(), reason, at));
    }
}
