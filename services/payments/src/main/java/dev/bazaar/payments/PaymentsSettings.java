package dev.bazaar.payments;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Payments' own settings under {@code payments}: {@code simulated.decline-above} (100000 minor units, i.e. 1000.00;
 * environment {@code PAYMENTS_SIMULATED_DECLINE_ABOVE}), the limit above which the simulated provider declines, and
 * {@code catalog.timeout} (PT2S), the wait for catalog to commit an order's stock before charging.
 */
public record PaymentsSettings(long declineAbove, Duration catalogTimeout) {
    public static final long DEFAULT_DECLINE_ABOVE = 100_000;

    public PaymentsSettings {
        if (declineAbove < 0) {
            throw new IllegalArgumentException("payments.simulated.decline-above must not be negative");
        }
        if (catalogTimeout.isNegative() || catalogTimeout.isZero()) {
            throw new IllegalArgumentException("payments.catalog.timeout must be positive");
        }
    }

    public static PaymentsSettings from(Config payments) {
        return new PaymentsSettings(payments.get("simulated.decline-above").asLong().orElse(DEFAULT_DECLINE_ABOVE),
                payments.get("catalog.timeout").as(Duration.class).orElse(Duration.ofSeconds(2)));
    }
}
