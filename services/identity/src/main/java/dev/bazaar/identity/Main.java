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
import dev.bazaar.kit.AsyncApi;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.LocalDefaults;
import dev.bazaar.kit.NatsConfig;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.ShutdownReadiness;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Periodic;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.OpenTelemetry;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.List;

/** Identity: users, OAuth2 tokens, signing keys and their JWKS. */
public final class Main {
    static final String NAME = "identity";

    private Main() {
    }

    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }

    /** Starts identity with the given configuration and telemetry; closing the result stops it in order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        IdentitySettings settings = IdentitySettings.from(config.get("identity"));
        LocalDefaults.check(NAME, config); // before anything starts: a refusal leaves nothing running
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            OpenTelemetry otel = lifecycle.add("telemetry", telemetry).openTelemetry();
            Database database = lifecycle.add("database", Database.open(config.get("db"), NAME, otel));
            NatsMessaging nats = lifecycle.add("nats", NatsConfig.connect(config.get("nats"), NAME, otel));
            AsyncApi asyncApi = AsyncApi.announce(NAME,
                    "Users, OAuth2 tokens, signing keys and their JWKS.", nats, config.get("server"));

            Clock clock = Clock.systemUTC();
            Jdbi jdbi = database.jdbi();
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

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database).nats(nats));
            // Identity checks its own tokens like every service does (Helidon Security), on its keys in memory.
            HttpSecurity security = new HttpSecurity(
                    TokenValidator.overOwnKeys(settings.issuer(), NAME, keys::jwksDocument));
            ShutdownReadiness shutdown = ShutdownReadiness.from(config.get("shutdown"));
            WebServer web = lifecycle.add("http", HttpServers.start(HttpServers.builder(NAME, config.get("server"),
                            List.of(Readiness.nats(nats), Readiness.database(database), shutdown.check()))
                    .routing(routing -> routing(
                            asyncApi.register(HttpServers.routing(routing, otel, security, metrics)),
                            settings, users, registrations, tokens, keys))), WebServer::stop);
            lifecycle.add("readiness", shutdown); // stopped first: unready while HTTP still serves
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
}
