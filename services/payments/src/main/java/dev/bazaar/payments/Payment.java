package dev.bazaar.payments;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.UUID;

/**
 * One attempt to pay an order (at most one per order): authorized with the provider's reference, or declined with
 * the reason.
 */
public record Payment(UUID id, UUID orderId, String customerId, Money amount, PaymentStatus status, String reason,
                      String providerRef, Instant createdAt) {

    /** The payment that records {@code authorization} for {@code charge}. */
    static Payment of(UUID id, Charge charge, Authorization authorization, Instant at) {
        return switch (authorization) {
            case Authorization.Approved approved -> new Payment(id, charge.orderId(), charge.customerId(),
                    charge.amount(), PaymentStatus.AUTHORIZED, null, approved.reference(), at);
            case Authorization.Declined declined -> new Payment(id, charge.orderId(), charge.customerId(),
                    charge.amount(), PaymentStatus.DECLINED, declined.reason(), null, at);
        };
    }
}
