package dev.bazaar.catalog.nats;

import dev.bazaar.catalog.StockService;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;

/**
 * Catalog's side of the saga, durably: an order placed commits its reservation (no expiry; a lapsed hold is taken
 * again if its stock is still there), an order cancelled gives its stock back. Both effects are idempotent by state (a held reservation is confirmed once, released once), so a
 * repeated or late event changes nothing.
 */
public final class OrderEventsListener {
    /** The durable consumer's name. */
    public static final String DURABLE = "catalog-orders";

    private OrderEventsListener() {
    }

    public static EventListener start(NatsMessaging nats, StockService stock, DeadLetters deadLetters) {
        return EventListener.builder(nats, ConsumerSpec.of(OrdersSubjects.STREAM, DURABLE, OrdersSubjects.EVENTS),
                        deadLetters)
                .on(OrdersSubjects.ORDER_PLACED, OrderPlaced.class, (event, context) -> stock.commit(event.orderId()))
                .on(OrdersSubjects.ORDER_CANCELLED, OrderCancelled.class,
                        (event, context) -> stock.release(event.orderId(), "order cancelled: " + event.reason()))
                .start();
    }
}
