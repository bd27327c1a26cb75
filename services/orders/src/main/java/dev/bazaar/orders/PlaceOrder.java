package dev.bazaar.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /**
     * A SHA-256 of what was asked (lines in their order, then the payment token): equal for the same request sent
     * twice, whatever its JSON spacing or key order, so that a retried Idempotency-Key can be told from a reused one.
     */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder();
        for (Item item : items) {
            canonical.append(item.productId()).append('x').append(item.quantity()).append(';');
        }
        canonical.append("pay=").append(paymentToken == null ? "" : paymentToken);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
