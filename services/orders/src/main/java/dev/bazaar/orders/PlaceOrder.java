package dev.bazaar.orders;

import java.util.List;
import java.util.UUID;

/**
 * What a customer asks for: products and quantities (validated by {@link OrderService}), and optionally what they
 * pay with (a payment provider's token).
 */
public record PlaceOrder(List<Item> items, String paymentToken) {
    /** One requested line. */
    public record Item(UUID productId, int quantity) {
    }
}
