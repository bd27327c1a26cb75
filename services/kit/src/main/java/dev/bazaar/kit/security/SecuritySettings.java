package dev.bazaar.kit.security;

import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How access tokens are checked, from the {@code security} config node.
 *
 * @param jwksUri            where identity publishes its signing keys ({@code security.jwks-uri})
 * @param issuer             the required {@code iss} ({@code security.issuer})
 * @param audience           the required {@code aud} ({@code security.audience})
 * @param jwksRefreshMinimum the JWKS is refetched on an unknown {@code kid} at most this often
 *                           ({@code security.jwks-refresh-minimum})
 */
public record SecuritySettings(URI jwksUri, String issuer, String audience, Duration jwksRefreshMinimum) {
    public static final String DEFAULT_JWKS_URI = "http://127.0.0.1:8081/.well-known/jwks.json";
    public static final String DEFAULT_ISSUER = "http://127.0.0.1:8081";
    public static final String DEFAULT_AUDIENCE = "bazaar";

    public SecuritySettings {
        Objects.requireNonNull(jwksUri, "security.jwks-uri");
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("security.issuer is required");
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("security.audience is required");
        }
        if (jwksRefreshMinimum.isNegative()) {
            throw new IllegalArgumentException("security.jwks-refresh-minimum must not be negative");
        }
    }

    public static SecuritySettings from(Config security) {
        return new SecuritySettings(
                URI.create(security.get("jwks-uri").asString().orElse(DEFAULT_JWKS_URI)),
                security.get("issuer").asString().orElse(DEFAULT_ISSUER),
                security.get("audience").asString().orElse(DEFAULT_AUDIENCE),
                security.get("jwks-refresh-minimum").as(Duration.class).orElse(Duration.ofSeconds(10)));
    }
}
