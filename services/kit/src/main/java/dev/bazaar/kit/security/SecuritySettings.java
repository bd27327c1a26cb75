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
 * @param audience           the required {@code aud} ({@code security.audience}; by default the service's name: a
 *                           token is for the services its scopes name, so one meant for orders and catalog is
 *                           refused by payments)
 * @param jwksRefreshMinimum the JWKS is refetched on an unknown {@code kid} at most this often
 *                           ({@code security.jwks-refresh-minimum})
 * @param jwksRefreshInterval the JWKS is read again when older than this, dropping keys identity no longer
 *                            publishes ({@code security.jwks-refresh-interval})
 * @param jwksTimeouts        how long connecting to identity and reading its JWKS may take
 *                            ({@code security.jwks-connect-timeout}, {@code security.jwks-timeout})
 */
public record SecuritySettings(URI jwksUri, String issuer, String audience, Duration jwksRefreshMinimum,
                               Duration jwksRefreshInterval, JwksTimeouts jwksTimeouts) {
    public static final String DEFAULT_AUDIENCE = "bazaar";
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(1);

    /**
     * How long fetching the JWKS may take: {@code connect} to identity, then the whole request ({@code read}).
     *
     * @param connect {@code security.jwks-connect-timeout}
     * @param read    {@code security.jwks-timeout}
     */
    public record JwksTimeouts(Duration connect, Duration read) {
        public JwksTimeouts {
            if (connect == null || connect.isNegative() || connect.isZero() || read == null || read.isNegative()
                    || read.isZero()) {
                throw new IllegalArgumentException("security.jwks-connect-timeout and jwks-timeout must be positive");
            }
        }

        /** The values every service's application.yaml has, for settings made in code (tests). */
        public static JwksTimeouts defaults() {
            return new JwksTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
        }
    }

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
        if (jwksRefreshInterval.isNegative() || jwksRefreshInterval.isZero()) {
            throw new IllegalArgumentException("security.jwks-refresh-interval must be positive");
        }
        Objects.requireNonNull(jwksTimeouts, "jwksTimeouts");
    }

    /** The settings with {@link #DEFAULT_REFRESH_INTERVAL} (PT1M; a service's is in its application.yaml). */
    public SecuritySettings(URI jwksUri, String issuer, String audience, Duration jwksRefreshMinimum) {
        this(jwksUri, issuer, audience, jwksRefreshMinimum, DEFAULT_REFRESH_INTERVAL, JwksTimeouts.defaults());
    }

    /** Settings whose audience defaults to {@link #DEFAULT_AUDIENCE}. */
    public static SecuritySettings from(Config security) {
        return from(security, DEFAULT_AUDIENCE);
    }

    /** Settings whose audience defaults to {@code service}, the name identity puts in {@code aud} for its scope. */
    public static SecuritySettings from(Config security, String service) {
        return new SecuritySettings(
                URI.create(security.get("jwks-uri").asString().get()),
                security.get("issuer").asString().get(),
                security.get("audience").asString().orElse(service),
                security.get("jwks-refresh-minimum").as(Duration.class).get(),
                security.get("jwks-refresh-interval").as(Duration.class).get(),
                new JwksTimeouts(security.get("jwks-connect-timeout").as(Duration.class).get(),
                        security.get("jwks-timeout").as(Duration.class).get()));
    }
}
