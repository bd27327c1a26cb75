package dev.bazaar.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import static dev.bazaar.observability.SemanticConventions.DEPLOYMENT_ENVIRONMENT_NAME;
import static dev.bazaar.observability.SemanticConventions.SERVICE_NAME;
import static dev.bazaar.observability.SemanticConventions.SERVICE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TelemetryTest {
    /** Makes the test independent of OTEL_* variables a developer may have exported. */
    private static final Map<String, String> NO_COLLECTOR = Map.of(
            "otel.exporter.otlp.endpoint", "",
            "otel.exporter.otlp.traces.endpoint", "",
            "otel.traces.exporter", "",
            "otel.service.name", "",
            "otel.resource.attributes", "",
            "otel.sdk.disabled", "false");

    @Test
    void withoutCollectorStillCreatesRealIdsAndPropagates() {
        try (Telemetry telemetry = Telemetry.fromEnvironment("catalog", "1.2.3", NO_COLLECTOR)) {
            OpenTelemetry otel = telemetry.openTelemetry();
            Span span = otel.getTracer("test").spanBuilder("work").startSpan();
            try {
                assertThat(span.getSpanContext().isValid()).isTrue();
                assertThat(span.getSpanContext().getTraceId()).isNotEqualTo("0".repeat(32));

                Map<String, String> headers = new HashMap<>();
                otel.getPropagators().getTextMapPropagator()
                        .inject(Context.root().with(span), headers, (carrier, key, value) -> carrier.put(key, value));
                assertThat(headers.get("traceparent"))
                        .startsWith("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId());
            } finally {
                span.end();
            }
        }
    }

    @Test
    void appliesDefaultServiceNameVersionAndEnvironment() {
        try (Telemetry telemetry = Telemetry.fromEnvironment("catalog", "1.2.3", NO_COLLECTOR)) {
            assertThat(telemetry.serviceName()).isEqualTo("catalog");
            assertThat(telemetry.resource().getAttribute(SERVICE_VERSION)).isEqualTo("1.2.3");
            assertThat(telemetry.resource().getAttribute(DEPLOYMENT_ENVIRONMENT_NAME)).isEqualTo("local");
        }
    }

    @Test
    void environmentWinsOverDefaults() {
        Map<String, String> configured = new HashMap<>(NO_COLLECTOR);
        configured.put("otel.service.name", "catalog-eu");
        configured.put("otel.resource.attributes", "deployment.environment.name=staging");
        try (Telemetry telemetry = Telemetry.fromEnvironment("catalog", "1.2.3", configured)) {
            assertThat(telemetry.serviceName()).isEqualTo("catalog-eu");
            assertThat(telemetry.resource().getAttribute(DEPLOYMENT_ENVIRONMENT_NAME)).isEqualTo("staging");
        }
    }

    @Test
    void realEnvironmentWithoutServiceNameUsesDefault() {
        assumeTrue(System.getenv("OTEL_SERVICE_NAME") == null && System.getProperty("otel.service.name") == null
                && System.getenv("OTEL_RESOURCE_ATTRIBUTES") == null && System.getenv("OTEL_SDK_DISABLED") == null,
                "OTEL_* service settings present in this environment");
        try (Telemetry telemetry = Telemetry.fromEnvironment("orders", "0.1.0")) {
            assertThat(telemetry.serviceName()).isEqualTo("orders");
            Span span = telemetry.openTelemetry().getTracer("test").spanBuilder("work").startSpan();
            assertThat(span.getSpanContext().isValid()).isTrue();
            span.end();
        }
    }

    @Test
    void forTestsExportsSpansWithServiceName() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (Telemetry telemetry = Telemetry.forTests("payments", exporter)) {
            telemetry.openTelemetry().getTracer("test").spanBuilder("work").startSpan().end();

            assertThat(telemetry.serviceName()).isEqualTo("payments");
            assertThat(exporter.getFinishedSpanItems()).singleElement()
                    .satisfies(span -> assertThat(span.getResource().getAttribute(SERVICE_NAME)).isEqualTo("payments"));
        }
    }

    @Test
    void exportsOverOtlpHttpWhenCollectorIsConfigured() {
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicInteger bytes = new AtomicInteger();
        WebServer collector = WebServer.builder()
                .port(0)
                .routing(routing -> routing.post("/v1/traces", (req, res) -> {
                    contentType.set(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
                    bytes.set(req.content().as(byte[].class).length);
                    res.send();
                }))
                .build()
                .start();
        try {
            Map<String, String> configured = new HashMap<>(NO_COLLECTOR);
            configured.remove("otel.exporter.otlp.traces.endpoint");   // an empty one would be an invalid URL
            configured.put("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.port());
            try (Telemetry telemetry = Telemetry.fromEnvironment("catalog", "1.2.3", configured)) {
                telemetry.openTelemetry().getTracer("test").spanBuilder("exported").startSpan().end();
            }   // close() flushes the batch processor

            assertThat(contentType.get()).isEqualTo("application/x-protobuf");
            assertThat(bytes.get()).isPositive();
        } finally {
            collector.stop();
        }
    }

    @Test
    void closeIsIdempotent() {
        Telemetry telemetry = Telemetry.fromEnvironment("catalog", "1.2.3", NO_COLLECTOR);
        telemetry.close();
        telemetry.close();
    }
}
