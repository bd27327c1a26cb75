package dev.bazaar.identity;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.List;

/**
 * Identity's settings under {@code identity} (each overridable by environment, e.g. {@code IDENTITY_ISSUER}); their
 * defaults are in application.yaml, the service README says what each does.
 */
public record IdentitySettings(String issuer, Duration accessTokenTtl, Duration refreshTokenTtl,
                               Duration refreshTokenPurgeInterval, Duration keyLeeway, String keyEncryptionKey,
                               PasswordHasher.Argon2Cost passwordCost, int maxConcurrentHashes, int hashQueueLength,
                               int maxFailures, Duration failureWindow, int registrationsPerAddress,
                               Duration registrationWindow, boolean trustForwardedFor,
                               List<String> userScopes, List<String> adminScopes, String adminEmail, String adminPassword,
                               List<Clients.Seed> clients) {

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
        Config password = identity.get("password");
        Config limit = identity.get("login-limit");
        Config registration = identity.get("registration-limit");
        int processors = Runtime.getRuntime().availableProcessors();
        return new IdentitySettings(
                identity.get("issuer").asString().get(),
                identity.get("access-token-ttl").as(Duration.class).get(),
                identity.get("refresh-token-ttl").as(Duration.class).get(),
                identity.get("refresh-token-purge-interval").as(Duration.class).get(),
                identity.get("keys.leeway").as(Duration.class).get(),
                identity.get("key-encryption-key").asString().orElse(null),
                new PasswordHasher.Argon2Cost(
                        password.get("memory-kib").asInt().get(),
                        password.get("iterations").asInt().get(),
                        password.get("parallelism").asInt().get()),
                password.get("max-concurrent").asInt().orElse(processors),
                password.get("queue").asInt().orElse(2 * processors),
                limit.get("max-failures").asInt().get(),
                limit.get("window").as(Duration.class).get(),
                registration.get("max-per-address").asInt().get(),
                registration.get("window").as(Duration.class).get(),
                identity.get("trust-forwarded-for").asBoolean().get(),
                list(identity.get("user-scopes"), null),
                list(identity.get("admin-scopes"), null),
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

    /**
     * A list given as a YAML list or as one comma- or space-separated string (handy in environment variables);
     * {@code fallback} when absent, required when that is null.
     */
    private static List<String> list(Config node, List<String> fallback) {
        if (!node.exists()) {
            if (fallback == null) {
                throw new IllegalArgumentException(node.key() + " is required (application.yaml sets it)");
            }
            return fallback;
        }
        // A string set over a YAML list (an environment variable, a test's key) replaces the list: read it first.
        if (node.isList() && !node.hasValue()) {
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
