package dev.bazaar.payments;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Payments' own settings under {@code payments} (defaults in application.yaml): {@code simulated.decline-above} (minor
 * units; environment {@code PAYMENTS_SIMULATED_DECLINE_ABOVE}), the limit above which the simulated provider declines,
 * and {@code catalog.timeout}, the wait for catalog to commit an order's stock before charging.
 */
public record PaymentsSettings(long declineAbove, Duration catalogTimeout) {

    public PaymentsSettings {
        if (declineAbove < 0) {
            throw new IllegalArgumentException("payments.simulated.decline-above must not be negative");
        }
        if (catalogTimeout.isNegative() || catalogTimeout.isZero()) {
            throw new IllegalArgumentException("payments.catalog.timeout must be positive");
        }
    }

    public static PaymentsSettings from(Config payments) {
        return new PaymentsSettings(payments.get("simulated.decline-above").asLong().get(),
                payments.get("catalog.timeout").as(Duration.class).get());
    }
}
