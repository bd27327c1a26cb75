package dev.bazaar.payments;

import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;

import java.util.UUID;

/** The event that announces a payment's outcome: its subject, its id, and its payload (a contracts record). */
public record PaymentEvent(String subject, UUID eventId, Object payload) {

    /** {@code payment-authorized} or {@code payment-declined} for {@code payment}, with {@code eventId} in the payload. */
    static PaymentEvent of(Payment payment, UUID eventId) {
        return switch (payment.status()) {
            case AUTHORIZED -> new PaymentEvent(PaymentsSubjects.PAYMENT_AUTHORIZED, eventId,
                    new PaymentAuthorized(eventId, payment.id(), payment.orderId(), payment.customerId(),
                            payment.amount(), payment.createdAt()));
            case DECLINED -> new PaymentEvent(PaymentsSubjects.PAYMENT_DECLINED, eventId,
                    new PaymentDeclined(eventId, payment.id(), payment.orderId(), payment.customerId(),
                            payment.amount(), payment.reason(), payment.createdAt()));
        };
    }
}
