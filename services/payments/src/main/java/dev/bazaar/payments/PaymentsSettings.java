package dev.bazaar.payments;

import io.helidon.config.Config;

/**
 * Payments' own settings under {@code payments}: {@code simulated.decline-above} (100000 minor units, i.e. 1000.00;
 * environment {@code PAYMENTS_SIMULATED_DECLINE_ABOVE}), the limit above which the simulated provider declines.
 */
public record PaymentsSettings(long declineAbove) {
    public static final long DEFAULT_DECLINE_ABOVE = 100_000;

    public PaymentsSettings {
        if (declineAbove < 0) {
            throw new IllegalArgumentException("payments.simulated.decline-above must not be negative");
        }
    }

    public static PaymentsSettings from(Config payments) {
        return new PaymentsSettings(payments.get("simulated.decline-above").asLong().orElse(DEFAULT_DECLINE_ABOVE));
    }
}
