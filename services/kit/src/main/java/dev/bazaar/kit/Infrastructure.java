package dev.bazaar.kit;

import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.OpenTelemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * What every service opens first and serves last, the same way in each: {@link #open} checks the local-default
 * secrets, then adds to the service's {@link Lifecycle}, in this order, its telemetry, its database (migrated) and
 * its NATS connection, and announces its AsyncAPI document there; {@link #serve} starts its webserver and adds it,
 * then the shutdown readiness (stopped first). What lies between is the service's own composition, in its
 * {@code Main}.
 *
 * @param service  the service's name
 * @param config   its whole configuration
 * @param otel     its OpenTelemetry
 * @param database its database, open and migrated
 * @param nats     its NATS connection
 * @param asyncApi its AsyncAPI document ({@code GET /asyncapi}, pointed to by its Service API endpoints)
 * @param shutdown readiness that goes down before HTTP stops ({@code shutdown.readiness-delay})
 */
public record Infrastructure(String service, Config config, OpenTelemetry otel, Database database,
                             NatsMessaging nats, AsyncApi asyncApi, ShutdownReadiness shutdown) {

    /**
     * Opens what every service needs, each part added to {@code lifecycle} as it starts (so that a failure half-way,
     * and the service's shutdown, stop them in reverse).
     *
     * @param description one sentence on what the service does (its AsyncAPI {@code info.description})
     * @throws IllegalStateException before anything starts when the service would listen beyond loopback with a
     *                               local-default secret ({@link LocalDefaults})
     */
    public static Infrastructure open(String service, String description, Config config, Telemetry telemetry,
                                      Lifecycle lifecycle) {
        LocalDefaults.check(service, config); // before anything starts: a refusal leaves nothing running
        OpenTelemetry otel = lifecycle.add("telemetry", telemetry).openTelemetry();
        Database database = lifecycle.add("database", Database.open(config.get("db"), service, otel));
        NatsMessaging nats = lifecycle.add("nats", NatsConfig.connect(config.get("nats"), service, otel));
        AsyncApi asyncApi = AsyncApi.announce(service, description, nats, config.get("server"));
        return new Infrastructure(service, config, otel, database, nats, asyncApi,
                ShutdownReadiness.from(config.get("shutdown")));
    }

    /** The {@code events} node: how streams are stored, the purges and the dead-letter redrive. */
    public Config events() {
        return config.get("events");
    }

    /** What readiness checks in every service (NATS, the database, not stopping), then {@code more}. */
    public List<HealthCheck> readiness(HealthCheck... more) {
        List<HealthCheck> checks = new ArrayList<>(List.of(Readiness.nats(nats), Readiness.database(database),
                shutdown.check()));
        checks.addAll(List.of(more));
        return checks;
    }

    /**
     * What every service's routing has before its own routes ({@link HttpServers#routing}) and {@code GET
     * /asyncapi}; returns the builder to register the service's routes on.
     */
    public HttpRouting.Builder routing(HttpRouting.Builder routing, HttpSecurity security, ServiceMetrics metrics) {
        return asyncApi.register(HttpServers.routing(routing, otel, security, metrics));
    }

    /**
     * Starts {@code web} ({@link HttpServers#start}), adds it to {@code lifecycle}, then the shutdown readiness, which
     * therefore stops first: unready while HTTP still serves. Returns the server running.
     */
    public WebServer serve(WebServerConfig.Builder web, Lifecycle lifecycle) {
        WebServer server = lifecycle.add("http", HttpServers.start(web), WebServer::stop);
        lifecycle.add("readiness", shutdown);
        return server;
    }
}
