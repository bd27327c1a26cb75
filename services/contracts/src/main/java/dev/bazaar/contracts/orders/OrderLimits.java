package dev.bazaar.contracts.orders;

/**
 * How large an order may be: at most {@code maxLines} lines, each of quantity 1..{@code maxQuantity}. Orders checks
 * an order against it and catalog a stock reservation; both read it from the same settings ({@code orders.max-lines},
 * {@code orders.max-quantity}, defaults in the service kit's {@code limits.yaml}), so raising a limit raises it for
 * both.
 */
public record OrderLimits(int maxLines, int maxQuantity) {
    public OrderLimits {
        if (maxLines < 1 || maxQuantity < 1) {
            throw new IllegalArgumentException("order limits must be positive");
        }
    }
}
