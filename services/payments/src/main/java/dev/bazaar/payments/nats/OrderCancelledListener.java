package dev.bazaar.payments.nats;

import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventContext;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.payments.PaymentService;

import static dev.bazaar.kit.EventHandlers.invalidIsPoison;

/**
 * Voids the authorization of every cancelled order that has one: durable consumer {@value #DURABLE} on stream
 * {@value OrdersSubjects#STREAM}, filter {@value OrdersSubjects#ORDER_CANCELLED} ({@link PaymentService#orderCancelled}).
 */
public final class OrderCancelledListener {
    /** The durable consumer's name, which also names this consumer in the processed-events guard. */
    public static final String DURABLE = "payments-order-cancelled";

    private final PaymentService payments;

    private OrderCancelledListener(PaymentService payments) {
        this.payments = payments;
    }

    /** Creates or updates the durable consumer and starts consuming (it binds once orders' stream exists). */
    public static EventListener start(NatsMessaging nats, PaymentService payments, DeadLetters deadLetters) {
        OrderCancelledListener listener = new OrderCancelledListener(payments);
        return EventListener.builder(nats,
                        ConsumerSpec.of(OrdersSubjects.STREAM, DURABLE, OrdersSubjects.ORDER_CANCELLED), deadLetters)
                .on(OrdersSubjects.ORDER_CANCELLED, OrderCancelled.class, invalidIsPoison(listener::orderCancelled))
                .start();
    }

    private void orderCancelled(OrderCancelled event, EventContext context) {
        payments.orderCancelled(new SourceEvent(DURABLE, context.eventId()), event.orderId(), event.reason());
    }
}
