package dev.bazaar.payments;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;

import java.util.UUID;

/** The events that announce a payment's outcome. */
final class PaymentEvents {
    private PaymentEvents() {
    }

    /** {@code payment-authorized} or {@code payment-declined} for {@code payment}, with {@code eventId} in the payload. */
    static OutgoingEvent of(Payment payment, UUID eventId) {
        return switch (payment.status()) {
            case AUTHORIZED -> new OutgoingEvent(PaymentsSubjects.PAYMENT_AUTHORIZED, eventId,
                    new PaymentAuthorized(eventId, payment.id(), payment.orderId(), payment.customerId(),
                            payment.amount(), payment.createdAt()));
            case DECLINED -> new OutgoingEvent(PaymentsSubjects.PAYMENT_DECLINED, eventId,
                    new PaymentDeclined(eventId, payment.id(), payment.orderId(), payment.customerId(),
                            payment.amount(), payment.reason(), payment.createdAt()));
            case VOIDED -> throw new IllegalStateException("a payment is recorded authorized or declined, and voided"
                    + " later without an event (its order is cancelled already)");
        };
    }
}
