package dev.bazaar.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The outcome of reserving stock for an order: either every item is held ({@code reserved}, with the products at
 * their current prices and the time the hold lapses), or nothing is, and {@code missing} / {@code insufficient}
 * say which products stopped it.
 */
public record Reservation(UUID orderId, boolean reserved, List<Product> products, List<UUID> missing,
                          List<UUID> insufficient, Instant expiresAt) {
    public static Reservation refused(UUID orderId, List<UUID> missing, List<UUID> insufficient) {
        return new Reservation(orderId, false, List.of(), missing, insufficient, null);
    }
}
