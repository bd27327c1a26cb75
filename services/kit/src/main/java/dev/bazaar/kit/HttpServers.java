package dev.bazaar.kit;

import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.observability.HttpTracing;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckType;
import io.helidon.health.checks.HealthChecks;
import io.helidon.http.DirectHandler;
import io.helidon.http.NotFoundException;
import io.helidon.http.media.MediaContext;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Builds and starts a service's webserver the same way everywhere: config from the {@code server} node, JSON over
 * the shared mapper, request metrics and a tracing span on every request, bearer-token security, a body limit,
 * problem+json errors, {@code /observe/metrics} (Prometheus), {@code /observe/health} with liveness
 * ({@code /live}: deadlocks, heap) and readiness ({@code /ready}: the checks the service passes, e.g. NATS and its
 * database), and {@code /openapi}: the service's OpenAPI document, {@code openapi/<service>.yaml} in its resources,
 * served by Helidon's OpenAPI feature (YAML, or JSON for {@code Accept: application/json} or {@code ?format=JSON}).
 */
public final class HttpServers {
    /**
     * The routes the features added here serve ({@link ObserveFeature}, {@link OpenApiFeature}): not recorded by
     * {@link RouteFallbacks}, so declared here, beside the features, for the service's route table.
     */
    static final List<DeclaredRoute> FEATURE_ROUTES = List.of(new DeclaredRoute("GET", "/openapi"),
            new DeclaredRoute("GET", "/observe/health"), new DeclaredRoute("GET", "/observe/health/live"),
            new DeclaredRoute("GET", "/observe/health/ready"), new DeclaredRoute("GET", "/observe/metrics"));
    /** A routing's recorded routes, from {@link #routing} (which sees the routing) to {@link #start} (the server). */
    private static final Map<HttpRouting.Builder, RouteFallbacks> RECORDED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** What {@link #start} keeps in the server's context: the routes it serves. */
    record ServedRoutes(List<DeclaredRoute> routes) {
    }

    private HttpServers() {
    }

    /**
     * A webserver builder set up from the {@code server} node as every service's is; the service adds its routing
     * ({@link #routing} first, then its own routes on the builder that returns) and passes the builder to
     * {@link #start}.
     *
     * @param service   the service's name: its OpenAPI document is {@code openapi/<service>.yaml} on the class path
     *                  (one name per service: system tests run them all on one class path)
     * @param readiness what {@code /observe/health/ready} checks (NATS, the database, JetStream, shutdown: what the
     *                  service cannot work without)
     */
    public static WebServerConfig.Builder builder(String service, Config server, List<HealthCheck> readiness) {
        return builder(service, server, readiness, Map.of());
    }

    /**
     * As {@link #builder(String, Config, List)}, with more listeners beside the HTTP port, each with its own protocols and
     * routing (catalog's gRPC socket). The HTTP port itself then speaks HTTP/1.1 only, though their protocol jars are
     * on the class path: Helidon's HTTP/2 (an h2c upgrade, which Java's HttpClient asks for by default, or prior
     * knowledge) does not apply {@code max-payload-size}, so HTTP/2 there would lift the body limit.
     */
    public static WebServerConfig.Builder builder(String service, Config server, List<HealthCheck> readiness,
                                                  Map<String, ListenerConfig> otherSockets) {
        return configure(WebServer.builder(), service, server, readiness, otherSockets);
    }

    /**
     * Sets {@code builder} up as {@link #builder(String, Config, List, Map)} does: for a builder made elsewhere, such as the
     * one Helidon's {@code @ServerTest} passes to {@code @SetUpServer}.
     */
    public static WebServerConfig.Builder configure(WebServerConfig.Builder builder, String service, Config server,
                                                    List<HealthCheck> readiness,
                                                    Map<String, ListenerConfig> otherSockets) {
        long maxBody = server.get("max-payload-size").asLong().get(); // the request body limit
        TransportProblems transportProblems = new TransportProblems(Json.codec().mapper(), maxBody);
        builder.config(server)
                .maxPayloadSize(maxBody)
                // how long a stopping server lets requests in flight finish: Helidon's own default, 0.5 s, cut off
                // an order waiting for catalog (up to orders.catalog.timeout, 2 s)
                .shutdownGracePeriod(server.get("shutdown-grace-period").as(Duration.class).get())
                .directHandlers(direct -> direct
                        .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, transportProblems)
                        .addHandler(DirectHandler.EventType.BAD_REQUEST, transportProblems)
                        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, transportProblems))
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .mediaContext(MediaContext.builder().addMediaSupport(new JsonMedia(Json.codec())).build())
                .addFeature(ObserveFeature.builder().addObserver(health(readiness)).addObserver(MetricsObserver.create())
                        .build())
                // the HTTP port only (the gRPC listener has no HTTP routing); permitAll: public, like health
                .addFeature(OpenApiFeature.builder().staticFile(openApiDocument(service))
                        .sockets(Set.of(WebServer.DEFAULT_SOCKET_NAME)).build())
                .sockets(otherSockets);
        if (!otherSockets.isEmpty()) {
            // The other listeners' protocol jars (HTTP/2) are on the class path: the HTTP port lists HTTP/1.1
            // alone rather than discovering them. (Only then: the listed default behaves differently for
            // long-lived SSE responses than the discovered one, see NotificationRoutesTest.)
            builder.protocolsDiscoverServices(false).addProtocol(Http1Config.create());
        }
        return builder;
    }

    /** Where a service's OpenAPI document is on the class path. */
    public static String openApiDocument(String service) {
        return "openapi/" + service + ".yaml";
    }

    /**
     * Builds and starts the server and returns it running.
     *
     * @throws IllegalStateException when it could not bind (Helidon logs and returns instead of throwing)
     */
    public static WebServer start(WebServerConfig.Builder builder) {
        RouteFallbacks recorded = builder.routing().map(RECORDED::remove).orElse(null);
        WebServer webServer = builder.build().start();
        if (!webServer.isRunning() || webServer.port() < 0
                || builder.sockets().keySet().stream().anyMatch(socket -> webServer.port(socket) < 0)) {
            throw new IllegalStateException("HTTP server did not start on port " + builder.port() + " (port taken?)");
        }
        if (recorded != null) {
            List<DeclaredRoute> routes = new ArrayList<>(recorded.declared());
            routes.addAll(FEATURE_ROUTES);
            webServer.context().register(new ServedRoutes(List.copyOf(routes)));
        }
        return webServer;
    }

    /**
     * The routes a server started by {@link #start} serves: those its service registered after {@link #routing}
     * (HTTP port only) and the features' ({@link #FEATURE_ROUTES}). Its OpenAPI document must name exactly these.
     */
    public static List<DeclaredRoute> routes(WebServer webServer) {
        return webServer.context().get(ServedRoutes.class).map(ServedRoutes::routes).orElseThrow(
                () -> new IllegalStateException("not started by HttpServers.start with HttpServers.routing"));
    }

    /**
     * What every service's routing has before its own routes: request metrics, a tracing span per request, HEAD as
     * GET, 404/405 fallbacks, problem details for errors, bearer-token security. Returns the builder the service
     * registers its routes on (it records them, for the 405 fallback's {@code Allow}). Tests that build a routing
     * reuse it.
     *
     * @param security the bearer-token filter; every service has one (identity's checks its own tokens, and leaves the
     *                 HTTP Basic client credentials of its token endpoint alone)
     * @param metrics  where requests are timed, or null for no HTTP timers ({@code /observe/metrics} is served
     *                 either way, with the JVM meters)
     */
    public static HttpRouting.Builder routing(HttpRouting.Builder routing, OpenTelemetry openTelemetry,
                                              HttpSecurity security, ServiceMetrics metrics) {
        if (metrics != null) {
            routing.addFilter(metrics.httpFilter());
        }
        routing.addFilter(HttpTracing.serverFilter(openTelemetry));
        routing.addFilter(RouteFallbacks::headAsGet);
        RouteFallbacks fallbacks = new RouteFallbacks();
        routing.error(NotFoundException.class, fallbacks::handle); // no route took it: 404, 405 or OPTIONS' 204
        Problems.register(routing);
        MalformedRequests.register(routing);
        Objects.requireNonNull(security, "security").register(routing); // after tracing: refused requests get spans too
        RECORDED.put(routing, fallbacks);
        return fallbacks.recording(routing);
    }

    private static HealthObserver health(List<HealthCheck> readiness) {
        var health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(HealthChecks.deadlockCheck(), HealthCheckType.LIVENESS)
                .addCheck(HealthChecks.heapMemoryCheck(), HealthCheckType.LIVENESS);
        readiness.forEach(check -> health.addCheck(check, HealthCheckType.READINESS));
        return health.build();
    }
}
