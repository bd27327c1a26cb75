package dev.bazaar.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outcome of reserving stock for an order: either every item is held ({@code reserved}, with the products at
 * their current prices and the time the hold lapses), or nothing is, and {@code missing} / {@code insufficient}
 * say which products stopped it.
 */
public record Reservation(UUID orderId, boolean reserved, List<Product> products, List<UUID> missing,
                          List<UUID> insufficient, Instant expiresAt) {
    /**
     * The all-or-nothing decision for {@code items} against {@code products} (the current rows of the products asked
     * for, by id): when every product exists with enough stock, each is held, and the result carries the products
     * with their stock after the hold; otherwise nothing is held, and the result names what is missing or short.
     */
    public static Reservation decide(UUID orderId, List<StockItem> items, Map<UUID, Product> products,
                                     Instant expiresAt) {
        List<UUID> missing = new ArrayList<>();
        List<UUID> insufficient = new ArrayList<>();
        for (StockItem item : items) {
            Product product = products.get(item.productId());
            if (product == null) {
                missing.add(item.productId());
            } else if (product.stock() < item.quantity()) {
                insufficient.add(item.productId());
            }
        }
        if (!missing.isEmpty() || !insufficient.isEmpty()) {
            return refused(orderId, missing, insufficient);
        }
        List<Product> held = items.stream().map(item -> {
            Product p = products.get(item.productId());
            return new Product(p.id(), p.sku(), p.name(), p.price(), p.stock() - item.quantity());
        }).toList();
        return new Reservation(orderId, true, held, List.of(), List.of(), expiresAt);
    }

    public static Reservation refused(UUID orderId, List<UUID> missing, List<UUID> insufficient) {
        return new Reservation(orderId, false, List.of(), missing, insufficient, null);
    }
}
