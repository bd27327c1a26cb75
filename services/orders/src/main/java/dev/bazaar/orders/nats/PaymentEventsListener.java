package dev.bazaar.orders.nats;

import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.orders.OrderService;

/** Payment outcomes move placed orders to {@code CONFIRMED} or {@code CANCELLED}. */
public final class PaymentEventsListener {
    /** The durable consumer's name, which also names this consumer in the processed-events guard. */
    public static final String DURABLE = "orders-payments";

    private PaymentEventsListener() {
    }

    public static EventListener start(NatsMessaging nats, OrderService orders, DeadLetters deadLetters) {
        return EventListener.builder(nats, ConsumerSpec.of(PaymentsSubjects.STREAM, DURABLE,
                        PaymentsSubjects.EVENTS), deadLetters)
                .on(PaymentsSubjects.PAYMENT_AUTHORIZED, PaymentAuthorized.class, (event, context) ->
                        orders.paymentAuthorized(new SourceEvent(DURABLE, context.eventId()), event.orderId(), event.paymentId()))
                .on(PaymentsSubjects.PAYMENT_DECLINED, PaymentDeclined.class, (event, context) ->
                        orders.paymentDeclined(new SourceEvent(DURABLE, context.eventId()), event.orderId(), event.reason()))
                .start();
    }
}
