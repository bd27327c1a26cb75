package dev.bazaar.payments;

/**
 * How a payment attempt ended: the provider authorized the amount, or declined it; an authorization is voided (the
 * customer is not charged) when its order was cancelled meanwhile.
 */
public enum PaymentStatus {
    AUTHORIZED,
    DECLINED,
    VOIDED
}
