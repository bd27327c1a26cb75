package dev.bazaar.orders;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Orders' own settings under {@code orders} (defaults in application.yaml): {@code catalog.timeout} (environment
 * {@code ORDERS_CATALOG_TIMEOUT}), {@code saga.deadline} (an order still PLACED this long is cancelled) and
 * {@code saga.sweep-interval} (how often that is looked for). The order limits ({@code orders.max-lines},
 * {@code orders.max-quantity}) are shared with catalog: the kit's {@code ServiceConfig.orderLimits}.
 */
public record OrdersSettings(Duration catalogTimeout, Duration sagaDeadline, Duration sagaSweepInterval) {
    public OrdersSettings {
        if (catalogTimeout.isNegative() || catalogTimeout.isZero()) {
            throw new IllegalArgumentException("orders.catalog.timeout must be positive");
        }
        if (sagaDeadline.isNegative() || sagaDeadline.isZero() || sagaSweepInterval.isNegative()
                || sagaSweepInterval.isZero()) {
            throw new IllegalArgumentException("orders.saga.deadline and sweep-interval must be positive");
        }
    }

    public static OrdersSettings from(Config orders) {
        return new OrdersSettings(
                orders.get("catalog.timeout").as(Duration.class).get(),
                orders.get("saga.deadline").as(Duration.class).get(),
                orders.get("saga.sweep-interval").as(Duration.class).get());
    }
}
