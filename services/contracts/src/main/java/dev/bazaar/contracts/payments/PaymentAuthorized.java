package dev.bazaar.contracts.payments;

import dev.bazaar.contracts.Money;

import java.time.Instant;
import java.util.UUID;

/** Event on {@value PaymentsSubjects#PAYMENT_AUTHORIZED}: the order's amount was authorized. */
public record PaymentAuthorized(UUID eventId, UUID paymentId, UUID orderId, String customerId, Money amount,
                                Instant authorizedAt) {
}
