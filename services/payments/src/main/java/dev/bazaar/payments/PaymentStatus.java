package dev.bazaar.payments;

/** How a payment attempt ended: the provider authorized the amount, or declined it. */
public enum PaymentStatus {
    AUTHORIZED,
    DECLINED
}
