/**
 * Observability for Bazaar services: one OpenTelemetry SDK per service instance, spans for HTTP requests and SQL
 * statements, and JSON log lines that carry the current trace id.
 * <p>
 * Typical wiring in a service:
 * <pre>{@code
 * Telemetry telemetry = Telemetry.fromEnvironment("catalog", "0.1.0");
 * OpenTelemetry otel = telemetry.openTelemetry();
 * Jdbi jdbi = Jdbi.create(dataSource);
 * SqlTracing.install(jdbi, otel, "catalog");
 * WebServer.builder()
 *         .routing(routing -> {
 *             HttpTracing.install(routing, otel);   // or routing.addFilter(HttpTracing.serverFilter(otel))
 *             routing.get("/products/{id}", handler);
 *         })
 *         .build().start();
 * // on shutdown: telemetry.close();
 * }</pre>
 * Nothing here touches {@code GlobalOpenTelemetry}: a system test runs several services in one JVM, each with its
 * own SDK and service name, so the {@link io.opentelemetry.api.OpenTelemetry} instance is always passed explicitly.
 * <p>
 * Personal data stays out of telemetry: SQL spans carry the statement text with placeholders and masked literals,
 * never bound values; HTTP spans carry the path but not the query string, nor the client address.
 * <p>
 * Logging: ship a {@code logging.properties} that selects {@link dev.bazaar.observability.JsonLogFormatter} for the
 * console handler. The property key is the handler's class name plus {@code .formatter}, so for Helidon's handler it
 * is {@code io.helidon.logging.jul.HelidonConsoleHandler.formatter=dev.bazaar.observability.JsonLogFormatter}
 * (for the JDK's handler {@code java.util.logging.ConsoleHandler.formatter=...}).
 */
package dev.bazaar.observability;
