package dev.bazaar.payments.nats;

import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.orders.PaymentTokenSeal;
import dev.bazaar.messaging.events.PoisonEventException;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventContext;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.payments.Charge;
import dev.bazaar.payments.PaymentService;
import dev.bazaar.contracts.SourceEvent;

import static dev.bazaar.kit.EventHandlers.invalidIsPoison;

/**
 * Pays for every placed order: durable consumer {@value #DURABLE} on stream {@value OrdersSubjects#STREAM}, filter
 * {@value OrdersSubjects#ORDER_PLACED}. An event that can never be paid goes to the dead letters at once; any other
 * failure is retried with backoff.
 */
public final class OrderPlacedListener {
    /** The durable consumer's name, which also names this consumer in the processed-events guard. */
    public static final String DURABLE = "payments-order-placed";

    private final PaymentService payments;
    private final PaymentTokenSeal paymentTokens;

    private OrderPlacedListener(PaymentService payments, PaymentTokenSeal paymentTokens) {
        this.payments = payments;
        this.paymentTokens = paymentTokens;
    }

    /** Creates or updates the durable consumer and starts consuming (it binds once orders' stream exists). */
    public static EventListener start(NatsMessaging nats, PaymentService payments, PaymentTokenSeal paymentTokens,
                                      DeadLetters deadLetters) {
        OrderPlacedListener listener = new OrderPlacedListener(payments, paymentTokens);
        return EventListener.builder(nats,
                        ConsumerSpec.of(OrdersSubjects.STREAM, DURABLE, OrdersSubjects.ORDER_PLACED), deadLetters)
                .on(OrdersSubjects.ORDER_PLACED, OrderPlaced.class, invalidIsPoison(listener::orderPlaced))
                .start();
    }

    private void orderPlaced(OrderPlaced event, EventContext context) {
        String paymentToken;
        try {
            paymentToken = paymentTokens.open(event.orderId(), event.paymentToken());
        } catch (IllegalArgumentException e) {
            // Retrying cannot help: dead-lettered at once, to replay once payments has orders' key.
            throw new PoisonEventException(e.getMessage() + " (payments.payment-token-key must equal orders')");
        }
        payments.pay(new SourceEvent(DURABLE, context.eventId()),
                new Charge(event.orderId(), event.customerId(), event.total(), paymentToken));
    }
}
