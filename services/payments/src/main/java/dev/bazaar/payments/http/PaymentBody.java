package dev.bazaar.payments.http;

import dev.bazaar.contracts.Money;
import dev.bazaar.payments.Payment;

import java.time.Instant;
import java.util.UUID;

/** A payment attempt on the wire; {@code reason} is set when declined, {@code providerRef} when authorized. */
public record PaymentBody(UUID id, UUID orderId, String customerId, Money amount, String status, String reason,
                          String providerRef, Instant createdAt) {
    static PaymentBody of(Payment payment) {
        return new PaymentBody(payment.id(), payment.orderId(), payment.customerId(), payment.amount(),
                payment.status().name(), payment.reason(), payment.providerRef(), payment.createdAt());
    }
}
