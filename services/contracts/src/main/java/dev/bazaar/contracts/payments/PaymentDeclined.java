package dev.bazaar.contracts.payments;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.UUID;

/** Event on {@value PaymentsSubjects#PAYMENT_DECLINED}: the provider refused; {@code reason} says why. */
public record PaymentDeclined(UUID eventId, UUID paymentId, UUID orderId, String customerId, Money amount,
                              String reason, Instant declinedAt) {
}
