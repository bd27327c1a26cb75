package dev.bazaar.kit;

import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.messaging.outbox.ProcessedEvents;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every service assembles the same way, in its one shutdown order: telemetry, its own database, its NATS
 * connection, the hourly purge of processed-event ids older than {@code events.processed-retention} (P30D); then the parts the service's {@code Main} adds; then the webserver, ready when NATS and the database
 * (and whatever the service adds) are. Each {@code Main} stays a short, explicit composition of its own parts.
 */
public final class Assembly {
    /** How long readiness reports down before HTTP stops ({@code shutdown.readiness-delay}). */
    static final Duration DEFAULT_READINESS_DELAY = Duration.ofSeconds(1);
    private final String name;
    private final String version;
    private final Config config;
    private final Telemetry telemetry;
    private final Lifecycle lifecycle;
    private final Database database;
    private final NatsMessaging nats;

    private Assembly(String name, String version, Config config, Telemetry telemetry, Lifecycle lifecycle,
                     Database database, NatsMessaging nats) {
        this.name = name;
        this.version = version;
        this.config = config;
        this.telemetry = telemetry;
        this.lifecycle = lifecycle;
        this.database = database;
        this.nats = nats;
    }

    /**
     * Starts the common parts, lets {@code wiring} add the service's own and serve, and returns the running service;
     * if anything fails, what had started is stopped again before the failure is rethrown.
     */
    public static RunningApp run(String name, Class<?> mainClass, Config config, Telemetry telemetry,
                                 Function<Assembly, RunningApp> wiring) {
        LocalDefaults.check(name, config); // before anything starts: a refusal leaves nothing running
        Lifecycle lifecycle = new Lifecycle(name);
        lifecycle.add("telemetry", telemetry);
        try {
            OpenTelemetry otel = telemetry.openTelemetry();
            Database database = lifecycle.add("database",
                    Database.migrateAndOpen(DatabaseSettings.from(config.get("db")), name, otel));
            NatsMessaging nats = lifecycle.add("nats",
                    NatsMessaging.connect(NatsConfig.settings(config.get("nats"), name), otel, Json.codec()));
            // The idempotent-consumer guard's memory: kept well beyond the streams' max age, then forgotten.
            Duration keep = config.get("events.processed-retention").as(Duration.class).orElse(Duration.ofDays(30));
            lifecycle.add("processed-events purge", Periodic.start("processed-events-purge", Duration.ofHours(1),
                    () -> database.jdbi().useHandle(h -> ProcessedEvents.purgeOlderThan(h, keep))));
            return wiring.apply(new Assembly(name, ServiceConfig.version(mainClass), config, telemetry, lifecycle,
                    database, nats));
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Config config() {
        return config;
    }

    public OpenTelemetry openTelemetry() {
        return telemetry.openTelemetry();
    }

    public Database database() {
        return database;
    }

    public NatsMessaging nats() {
        return nats;
    }

    /** Registers a started part, stopped before everything added earlier. */
    public <T extends AutoCloseable> T add(String what, T part) {
        return lifecycle.add(what, part);
    }

    /** Registers a started part with the action that stops it. */
    public <T> T add(String what, T part, AutoCloseable stop) {
        return lifecycle.add(what, part, stop);
    }

    /** The bearer-token validator from {@code security.*}; the audience it requires is this service's name. */
    public TokenValidator tokens() {
        return TokenValidator.create(SecuritySettings.from(config.get("security"), name));
    }

    /** How this service's streams are stored ({@code events.*}). */
    public StreamSettings streams() {
        return EventsConfig.streams(config.get("events"));
    }

    /** This service's dead-letter stream, created if missing. */
    public DeadLetters deadLetters() {
        return DeadLetters.forService(nats, name, streams());
    }

    /** The outbox relay of this service's database ({@code outbox.*}), started. */
    public OutboxRelay outboxRelay() {
        return add("outbox relay", OutboxRelay.start(database.jdbi(), new EventPublisher(nats),
                EventsConfig.outbox(config.get("outbox"))));
    }

    /** The service's metrics, already bound to its pool and NATS connection; add its own parts to it. */
    public ServiceMetrics metrics() {
        return add("metrics", ServiceMetrics.create(name).database(database).nats(nats));
    }

    /**
     * Starts the webserver last (see {@link HttpServers#start}); readiness covers NATS, the database and
     * {@code readiness}.
     */
    public RunningApp serve(HttpSecurity security, ServiceMetrics metrics, Consumer<HttpRouting.Builder> routes,
                            List<HealthCheck> readiness) {
        return serve(security, metrics, routes, readiness, Map.of());
    }

    /**
     * As {@link #serve(HttpSecurity, ServiceMetrics, Consumer, List)}, with more listeners by name beside the HTTP
     * port (catalog's {@code grpc} socket); {@link RunningApp#port} tells their ports.
     */
    public RunningApp serve(HttpSecurity security, ServiceMetrics metrics, Consumer<HttpRouting.Builder> routes,
                            List<HealthCheck> readiness, Map<String, ListenerConfig> otherSockets) {
        AtomicBoolean stopping = new AtomicBoolean();
        List<HealthCheck> checks = new ArrayList<>(List.of(Readiness.nats(nats), Readiness.database(database),
                Readiness.notStopping(stopping)));
        checks.addAll(readiness);
        WebServer web = HttpServers.start(config.get("server"), openTelemetry(), Json.codec(), security, metrics,
                routes, checks, otherSockets);
        add("http", web, web::stop);
        // Stopped first: readiness goes down while HTTP still serves, so that load balancers and clients polling
        // readiness move away before the server stops taking requests (those in flight then finish in its grace).
        Duration delay = config.get("shutdown.readiness-delay").as(Duration.class).orElse(DEFAULT_READINESS_DELAY);
        add("readiness", stopping, () -> {
            stopping.set(true);
            Thread.sleep(delay.toMillis());
        });
        Map<String, Integer> ports = new HashMap<>();
        otherSockets.keySet().forEach(socket -> ports.put(socket, web.port(socket)));
        return new RunningApp(name, web.port(), lifecycle, ports);
    }
}
