package dev.bazaar.payments;

import dev.bazaar.contracts.Money;

import java.util.UUID;

/**
 * What payments asks a provider to authorize: an order's total, paid with the customer's payment token.
 * The order id doubles as the provider's idempotency key (one authorization per order).
 */
public record Charge(UUID orderId, String customerId, Money amount, String paymentToken) {
}
