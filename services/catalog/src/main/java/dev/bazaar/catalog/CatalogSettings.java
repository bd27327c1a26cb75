package dev.bazaar.catalog;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Catalog's own settings under {@code catalog.reservations} (defaults in application.yaml): {@code ttl} (how long stock stays held for an
 * order that is not placed yet; a 504'd or interrupted order holds nothing longer than this, and a placed order whose
 * hold lapsed before catalog heard of it gets the stock again at commit if it is still there) and {@code sweep-interval} (how often lapsed holds are released).
 */
public record CatalogSettings(Duration reservationTtl, Duration sweepInterval) {
    public CatalogSettings {
        if (reservationTtl.isNegative() || reservationTtl.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("catalog.reservations.ttl and sweep-interval must be positive");
        }
    }

    public static CatalogSettings from(Config catalog) {
        return new CatalogSettings(
                catalog.get("reservations.ttl").as(Duration.class).get(),
                catalog.get("reservations.sweep-interval").as(Duration.class).get());
    }
}
