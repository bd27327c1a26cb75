package dev.bazaar.orders;

/** How large an order may be. */
public record OrderLimits(int maxLines, int maxQuantity) {
    public OrderLimits {
        if (maxLines < 1 || maxQuantity < 1) {
            throw new IllegalArgumentException("order limits must be positive");
        }
    }
}
