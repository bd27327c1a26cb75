package dev.bazaar.orders;

import java.util.List;
import java.util.UUID;

/** What a customer asks for: products and quantities (validated by {@link OrderService}). */
public record PlaceOrder(List<Item> items) {
    /** One requested line. */
    public record Item(UUID productId, int quantity) {
    }
}
