package dev.bazaar.orders.http;

import dev.bazaar.contracts.Failure;
import dev.bazaar.orders.PlaceOrder;

import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /orders}: {@code {"items":[{"productId":"…","quantity":2}],"paymentToken":"tok_visa"}}
 * ({@code paymentToken} optional).
 */
public record PlaceOrderBody(List<ItemBody> items, String paymentToken) {
    /** One requested line; the quantity is boxed so that a missing one is reported, not read as 0. */
    public record ItemBody(UUID productId, Integer quantity) {
    }

    PlaceOrder toCommand() {
        if (items == null) {
            throw Failure.invalid("items must hold at least one product");
        }
        return new PlaceOrder(items.stream()
                .map(item -> item == null ? null : new PlaceOrder.Item(item.productId(),
                        item.quantity() == null ? 0 : item.quantity()))
                .toList(), paymentToken);
    }
}
