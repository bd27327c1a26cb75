package dev.bazaar.payments;

/**
 * The payment provider, as payments sees it. The simulated one follows fixed rules ({@link SimulatedPaymentProvider});
 * a real one replaces it without touching the use case.
 */
public interface PaymentProvider {
    /**
     * Authorizes {@code charge}. A decline is an answer, not an error. Implementations must treat
     * {@link Charge#orderId()} as an idempotency key: a redelivered event may ask again for the same order.
     *
     * @throws dev.bazaar.contracts.Failure {@code UNAVAILABLE} or {@code TIMEOUT} when the provider cannot answer now (the
     *                                event is then retried with backoff)
     */
    Authorization authorize(Charge charge);

    /**
     * Voids the authorization of {@code payment} (nothing is captured: the customer is not charged). Idempotent:
     * voiding a voided authorization changes nothing.
     *
     * @throws dev.bazaar.contracts.Failure {@code UNAVAILABLE} or {@code TIMEOUT} when the provider cannot answer now
     */
    default void voidAuthorization(Payment payment) {
        throw new UnsupportedOperationException("this provider cannot void authorizations");
    }
}
