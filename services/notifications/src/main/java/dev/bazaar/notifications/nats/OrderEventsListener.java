package dev.bazaar.notifications.nats;

import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderConfirmed;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventContext;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.notifications.NotificationService;
import dev.bazaar.notifications.NotificationStatus;
import dev.bazaar.notifications.OrderUpdate;

import static dev.bazaar.kit.EventHandlers.invalidIsPoison;

/**
 * Orders' events, through the durable consumer {@value #DURABLE} on {@value OrdersSubjects#STREAM} (shared by every
 * instance: each event is handled by one of them). An event that cannot make a notification goes to the dead letters
 * at once; any other failure is retried by redelivery.
 */
public final class OrderEventsListener {
    /** The durable consumer, also the name of this consumer's entries in the processed-events guard. */
    public static final String DURABLE = "notifications-orders";

    private final NotificationService notifications;

    private OrderEventsListener(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** Starts listening; the listener binds once orders has created its stream. */
    public static EventListener start(NatsMessaging nats, DeadLetters deadLetters, NotificationService notifications) {
        OrderEventsListener listener = new OrderEventsListener(notifications);
        return EventListener.builder(nats, ConsumerSpec.of(OrdersSubjects.STREAM, DURABLE, OrdersSubjects.EVENTS),
                        deadLetters)
                .on(OrdersSubjects.ORDER_PLACED, OrderPlaced.class, invalidIsPoison(listener::placed))
                .on(OrdersSubjects.ORDER_CONFIRMED, OrderConfirmed.class, invalidIsPoison(listener::confirmed))
                .on(OrdersSubjects.ORDER_CANCELLED, OrderCancelled.class, invalidIsPoison(listener::cancelled))
                .start();
    }

    private void placed(OrderPlaced event, EventContext context) {
        notify(new OrderUpdate(event.eventId(), event.orderId(), event.customerId(), NotificationStatus.PLACED, null));
    }

    private void confirmed(OrderConfirmed event, EventContext context) {
        notify(new OrderUpdate(event.eventId(), event.orderId(), event.customerId(), NotificationStatus.CONFIRMED,
                null));
    }

    private void cancelled(OrderCancelled event, EventContext context) {
        notify(new OrderUpdate(event.eventId(), event.orderId(), event.customerId(), NotificationStatus.CANCELLED,
                event.reason()));
    }

    private void notify(OrderUpdate update) {
        notifications.notifyCustomer(update);
    }
}
