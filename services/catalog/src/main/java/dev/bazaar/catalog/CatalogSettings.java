package dev.bazaar.catalog;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Catalog's own settings under {@code catalog.reservations}: {@code ttl} (PT15M: how long stock stays held for an
 * order that is never placed) and {@code sweep-interval} (PT5S: how often lapsed holds are released).
 */
public record CatalogSettings(Duration reservationTtl, Duration sweepInterval) {
    public CatalogSettings {
        if (reservationTtl.isNegative() || reservationTtl.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("catalog.reservations.ttl and sweep-interval must be positive");
        }
    }

    public static CatalogSettings from(Config catalog) {
        return new CatalogSettings(
                catalog.get("reservations.ttl").as(Duration.class).orElse(Duration.ofMinutes(15)),
                catalog.get("reservations.sweep-interval").as(Duration.class).orElse(Duration.ofSeconds(5)));
    }
}
