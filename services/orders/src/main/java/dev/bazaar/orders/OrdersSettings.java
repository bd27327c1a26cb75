package dev.bazaar.orders;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Orders' own settings under {@code orders}: {@code max-lines} (100), {@code max-quantity} (1000) and
 * {@code catalog.timeout} (PT2S; environment {@code ORDERS_CATALOG_TIMEOUT}).
 */
public record OrdersSettings(OrderLimits limits, Duration catalogTimeout) {
    public OrdersSettings {
        if (catalogTimeout.isNegative() || catalogTimeout.isZero()) {
            throw new IllegalArgumentException("orders.catalog.timeout must be positive");
        }
    }

    public static OrdersSettings from(Config orders) {
        return new OrdersSettings(
                new OrderLimits(orders.get("max-lines").asInt().orElse(100), orders.get("max-quantity").asInt().orElse(1000)),
                orders.get("catalog.timeout").as(Duration.class).orElse(Duration.ofSeconds(2)));
    }
}
