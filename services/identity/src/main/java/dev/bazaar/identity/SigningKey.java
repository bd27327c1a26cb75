package dev.bazaar.identity;

import java.time.Instant;
import java.util.Map;

/**
 * A token-signing key pair as stored: {@code publicJwk} is the public half as a JWK (with {@code kid}, {@code alg},
 * {@code use}); {@code privateKey} is PKCS#8 sealed by {@link SealedKeys}. Exactly one key is {@code active} and signs; {@code retired} keys are
 * still published until every token they signed has expired.
 */
public record SigningKey(String kid, String algorithm, Map<String, Object> publicJwk, byte[] privateKey,
                         Status status, Instant createdAt, Instant retiredAt) {
    public enum Status { ACTIVE, RETIRED }

    public SigningKey {
        publicJwk = Map.copyOf(publicJwk);
    }
}
