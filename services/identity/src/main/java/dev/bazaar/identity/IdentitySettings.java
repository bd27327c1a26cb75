package dev.bazaar.identity;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.List;

/**
 * Identity's settings under {@code identity} (each overridable by environment, e.g. {@code IDENTITY_ISSUER}); the
 * service README lists them with their defaults.
 */
public record IdentitySettings(String issuer, Duration accessTokenTtl, Duration refreshTokenTtl,
                               Duration refreshTokenPurgeInterval, Duration keyLeeway, String keyEncryptionKey,
                               PasswordHasher.Argon2Cost passwordCost, int maxConcurrentHashes, int hashQueueLength,
                               int maxFailures, Duration failureWindow, int registrationsPerAddress,
                               Duration registrationWindow, boolean trustForwardedFor,
                               List<String> userScopes, List<String> adminScopes, String adminEmail, String adminPassword,
                               List<Clients.Seed> clients) {
    public static final String DEFAULT_ISSUER = "http://127.0.0.1:8081";
    /**
     * LOCAL DEVELOPMENT DEFAULT ONLY (as in application.yaml, whose {@code local-defaults} a service bound beyond
     * loopback refuses): the key-encryption key when none is configured, e.g. in tests.
     */
    static final String LOCAL_KEY_ENCRYPTION_KEY = "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=";

    public IdentitySettings {
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || refreshTokenTtl.isNegative()
                || refreshTokenTtl.isZero()) {
            throw new IllegalArgumentException("identity token TTLs must be positive");
        }
        if (maxConcurrentHashes < 1 || hashQueueLength < 0) {
            throw new IllegalArgumentException("identity.password needs max-concurrent >= 1 and queue >= 0");
        }
        if (maxFailures < 1 || failureWindow.isNegative() || failureWindow.isZero()) {
            throw new IllegalArgumentException("identity.login-limit needs max-failures >= 1 and a positive window");
        }
        if (registrationsPerAddress < 1 || registrationWindow.isNegative() || registrationWindow.isZero()) {
            throw new IllegalArgumentException("identity.registration-limit needs max-per-address >= 1 and a positive window");
        }
        if (keyEncryptionKey == null || keyEncryptionKey.isBlank()) {
            throw new IllegalArgumentException("identity.key-encryption-key is required (IDENTITY_KEY_ENCRYPTION_KEY)");
        }
        userScopes = List.copyOf(userScopes);
        adminScopes = List.copyOf(adminScopes);
        clients = List.copyOf(clients);
    }

    public static IdentitySettings from(Config identity) {
        PasswordHasher.Argon2Cost owasp = PasswordHasher.Argon2Cost.OWASP;
        Config password = identity.get("password");
        Config limit = identity.get("login-limit");
        Config registration = identity.get("registration-limit");
        int processors = Runtime.getRuntime().availableProcessors();
        return new IdentitySettings(
                identity.get("issuer").asString().orElse(DEFAULT_ISSUER),
                identity.get("access-token-ttl").as(Duration.class).orElse(Duration.ofMinutes(5)),
                identity.get("refresh-token-ttl").as(Duration.class).orElse(Duration.ofDays(14)),
                identity.get("refresh-token-purge-interval").as(Duration.class).orElse(Duration.ofHours(1)),
                identity.get("keys.leeway").as(Duration.class).orElse(Duration.ofMinutes(1)),
                identity.get("key-encryption-key").asString().orElse(LOCAL_KEY_ENCRYPTION_KEY),
                new PasswordHasher.Argon2Cost(
                        password.get("memory-kib").asInt().orElse(owasp.memoryKib()),
                        password.get("iterations").asInt().orElse(owasp.iterations()),
                        password.get("parallelism").asInt().orElse(owasp.parallelism())),
                password.get("max-concurrent").asInt().orElse(processors),
                password.get("queue").asInt().orElse(2 * processors),
                limit.get("max-failures").asInt().orElse(5),
                limit.get("window").as(Duration.class).orElse(Duration.ofMinutes(15)),
                registration.get("max-per-address").asInt().orElse(50),
                registration.get("window").as(Duration.class).orElse(Duration.ofHours(1)),
                identity.get("trust-forwarded-for").asBoolean().orElse(false),
                list(identity.get("user-scopes"), List.of("identity", "orders", "catalog", "notifications")),
                list(identity.get("admin-scopes"), List.of("payments")),
                identity.get("bootstrap-admin.email").asString().orElse(null),
                identity.get("bootstrap-admin.password").asString().orElse(null),
                identity.get("clients").asNodeList().orElse(List.of()).stream()
                        .map(c -> new Clients.Seed(
                                c.get("id").asString().get(),
                                c.get("secret").asString().get(),
                                list(c.get("roles"), List.of()),
                                list(c.get("scopes"), List.of())))
                        .toList());
    }

    /** A list given as a YAML list or as one comma- or space-separated string (handy in environment variables). */
    private static List<String> list(Config node, List<String> fallback) {
        if (!node.exists()) {
            return fallback;
        }
        if (node.isList()) {
            return node.asList(String.class).get();
        }
        return List.of(node.asString().get().trim().split("[,\\s]+"));
    }

    @Override
    public String toString() {
        return "IdentitySettings[issuer=" + issuer + ", adminEmail=" + adminEmail
                + ", clients=" + clients + "]";
    }
}
