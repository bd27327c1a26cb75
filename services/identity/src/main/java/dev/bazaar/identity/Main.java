package dev.bazaar.identity;

import dev.bazaar.identity.db.JdbiAttemptCounters;
import dev.bazaar.identity.db.JdbiClientRepository;
import dev.bazaar.identity.db.JdbiRefreshTokenRepository;
import dev.bazaar.identity.db.JdbiSigningKeyRepository;
import dev.bazaar.identity.db.JdbiUserRepository;
import dev.bazaar.identity.http.ClientAddress;
import dev.bazaar.identity.http.KeyRoutes;
import dev.bazaar.identity.http.TokenRoutes;
import dev.bazaar.identity.http.UserRoutes;
import dev.bazaar.identity.http.WellKnownRoutes;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Infrastructure;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Periodic;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/** Identity: users, OAuth2 tokens, signing keys and their JWKS. */
public final class Main {
    static final String NAME = "identity";

    /** Starts identity with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        IdentitySettings settings = IdentitySettings.from(config.get("identity"));
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            Infrastructure infra = Infrastructure.open(NAME, "Users, OAuth2 tokens, signing keys and their JWKS.",
                    config, telemetry, lifecycle);

            Clock clock = Clock.systemUTC();
            Jdbi jdbi = infra.database().jdbi();
            PasswordHasher hasher = new PasswordHasher(settings.passwordCost(), settings.maxConcurrentHashes(),
                    settings.hashQueueLength());
            UserService users = new UserService(new JdbiUserRepository(jdbi), hasher, clock);
            Clients clients = new Clients(new JdbiClientRepository(jdbi), hasher);
            SigningKeys keys = new SigningKeys(new JdbiSigningKeyRepository(jdbi),
                    new SealedKeys(settings.keyEncryptionKey()), settings.accessTokenTtl(), settings.keyLeeway(), clock);
            Bootstrap.run(settings, users, clients, keys);
            lifecycle.add("signing-key purge",
                    Periodic.start("signing-key-purge", settings.keyLeeway(), keys::purgeRetired));
            RefreshTokens refresh = new RefreshTokens(new JdbiRefreshTokenRepository(jdbi), settings.refreshTokenTtl(),
                    clock);
            AttemptCounters counters = new JdbiAttemptCounters(jdbi);
            AttemptLimiter logins = new AttemptLimiter(counters, settings.maxFailures(), settings.failureWindow(), clock);
            AttemptLimiter registrations = new AttemptLimiter(counters, settings.registrationsPerAddress(),
                    settings.registrationWindow(), clock);
            lifecycle.add("purge", Periodic.start("refresh-token-and-counter-purge",
                    settings.refreshTokenPurgeInterval(), () -> {
                        refresh.purgeExpired();
                        logins.purgeExpired();
                    }));
            TokenService tokens = new TokenService(users, clients,
                    new AccessTokens(keys, settings.issuer(), settings.accessTokenTtl(), clock),
                    refresh, logins, settings.userScopes(), settings.adminScopes());

            ServiceMetrics metrics = lifecycle.add("metrics",
                    ServiceMetrics.create(NAME).database(infra.database()).nats(infra.nats()));
            // Identity checks its own tokens like every service does (Helidon Security), on its keys in memory.
            HttpSecurity security = new HttpSecurity(
                    TokenValidator.overOwnKeys(settings.issuer(), NAME, keys::jwksDocument));
            WebServer web = infra.serve(HttpServers.builder(NAME, config.get("server"), infra.readiness())
                    .routing(routing -> routing(infra.routing(routing, security, metrics),
                            settings, users, registrations, tokens, keys)), lifecycle);
            return new RunningApp(NAME, web, lifecycle);
        } catch (RuntimeException e) {
            throw lifecycle.abort(e);
        }
    }

    /** Identity's routes, registered after {@code HttpServers.routing}'s shared filters. */
    static void routing(HttpRouting.Builder routing, IdentitySettings settings, UserService users,
                        AttemptLimiter registrations, TokenService tokens, SigningKeys keys) {
        TokenRoutes.registerErrors(routing);
        ClientAddress address = new ClientAddress(settings.trustForwardedFor());
        routing.register("/users", new UserRoutes(users, registrations, address))
                .register("/oauth2", new TokenRoutes(tokens, address))
                .register("/.well-known", new WellKnownRoutes(keys, settings.issuer()))
                .register("/admin/keys", new KeyRoutes(keys));
    }

    /** The process: configuration and telemetry from the environment, {@link #start}, stopped in order on SIGTERM. */
    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }
}
