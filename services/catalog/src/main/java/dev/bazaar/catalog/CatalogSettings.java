package dev.bazaar.catalog;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Catalog's own settings under {@code catalog.reservations}: {@code ttl} (PT1M: how long stock stays held for an
 * order that is not placed yet; a 504'd or interrupted order holds nothing longer than this, and a placed order whose
 * hold lapsed before catalog heard of it gets the stock again at commit if it is still there) and {@code sweep-interval} (PT5S: how often lapsed holds are released).
 */
public record CatalogSettings(Duration reservationTtl, Duration sweepInterval) {
    public CatalogSettings {
        if (reservationTtl.isNegative() || reservationTtl.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("catalog.reservations.ttl and sweep-interval must be positive");
        }
    }

    public static CatalogSettings from(Config catalog) {
        return new CatalogSettings(
                catalog.get("reservations.ttl").as(Duration.class).orElse(Duration.ofMinutes(1)),
                catalog.get("reservations.sweep-interval").as(Duration.class).orElse(Duration.ofSeconds(5)));
    }
}
