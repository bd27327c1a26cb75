package dev.bazaar.orders;

import dev.bazaar.contracts.Failure;

/**
 * A client's {@code Idempotency-Key} for placing an order (1-255 visible ASCII characters; a UUID is typical) and
 * the fingerprint of the request it came with. Unique per customer: the same key from another customer is another key.
 */
public record IdempotencyKey(String value, String requestFingerprint) {
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw Failure.invalid("Idempotency-Key must be 1-" + MAX_LENGTH + " visible ASCII characters");
        }
    }
}
