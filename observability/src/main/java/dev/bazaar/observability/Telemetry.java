package dev.bazaar.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import static dev.bazaar.observability.SemanticConventions.DEPLOYMENT_ENVIRONMENT_NAME;
import static dev.bazaar.observability.SemanticConventions.DEPLOYMENT_ENVIRONMENT_OLD;
import static dev.bazaar.observability.SemanticConventions.SERVICE_NAME;
import static dev.bazaar.observability.SemanticConventions.SERVICE_VERSION;

/**
 * One OpenTelemetry SDK per service instance.
 * <p>
 * Never registered as {@code GlobalOpenTelemetry}: a system test runs several services in one JVM, each with its own
 * SDK and service name. Pass {@link #openTelemetry()} to {@link HttpTracing}, {@link SqlTracing} and the messaging
 * code instead.
 */
public final class Telemetry implements AutoCloseable {
    private static final String DEFAULT_ENVIRONMENT = "local";
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final OpenTelemetrySdk sdk;
    private final Resource resource;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Telemetry(OpenTelemetrySdk sdk, Resource resource, boolean flushOnExit) {
        this.sdk = sdk;
        this.resource = resource;
        // Our own hook instead of autoconfigure's: it must not shut down a second time after close(),
        // which makes the SDK log "Calling shutdown() multiple times" on every exit.
        this.shutdownHook = flushOnExit ? new Thread(this::shutdown, "telemetry-shutdown-" + serviceName()) : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * SDK from the standard {@code OTEL_*} environment variables / {@code otel.*} system properties via autoconfigure.
     * <ul>
     *     <li>{@code OTEL_SERVICE_NAME} (or {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}), default
     *     {@code defaultServiceName};</li>
     *     <li>{@code OTEL_TRACES_EXPORTER}, default {@code otlp} if {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or its
     *     traces-specific variant) is set, otherwise {@code none}, so a machine without a collector does not log
     *     export errors;</li>
     *     <li>{@code OTEL_EXPORTER_OTLP_PROTOCOL}, default {@code http/protobuf} (collector port 4318): only the JDK
     *     HTTP sender is on the classpath, so {@code grpc} fails at startup with a {@code ConfigurationException};</li>
     *     <li>{@code OTEL_METRICS_EXPORTER} and {@code OTEL_LOGS_EXPORTER} default to {@code none};</li>
     *     <li>{@code OTEL_TRACES_SAMPLER}: autoconfigure's default, parent-based always-on;</li>
     *     <li>resource: {@code service.version} = {@code serviceVersion} and {@code deployment.environment.name} =
     *     {@code local}, both overridable through {@code OTEL_RESOURCE_ATTRIBUTES}.</li>
     * </ul>
     * A span processor is always present, even with export switched off: without one the SDK hands out invalid
     * (all-zero) span contexts and no {@code traceparent} would propagate between services.
     * {@code OTEL_SDK_DISABLED=true} still switches everything off, propagation included.
     */
    public static Telemetry fromEnvironment(String defaultServiceName, String serviceVersion) {
        return fromEnvironment(defaultServiceName, serviceVersion, Map.of());
    }

    /** As {@link #fromEnvironment(String, String)}, with {@code overrides} winning over environment and properties. */
    static Telemetry fromEnvironment(String defaultServiceName, String serviceVersion, Map<String, String> overrides) {
        Objects.requireNonNull(defaultServiceName, "defaultServiceName");
        // stays like this only with OTEL_SDK_DISABLED=true, when autoconfigure skips the resource customizer
        AtomicReference<Resource> resource = new AtomicReference<>(
                Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, defaultServiceName))));
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                .addPropertiesCustomizer(config -> overrides)
                .addPropertiesCustomizer(config -> defaults(config, defaultServiceName))
                .addResourceCustomizer((detected, config) -> {
                    Resource completed = complete(detected, serviceVersion);
                    resource.set(completed);
                    return completed;
                })
                .addTracerProviderCustomizer((tracerProvider, config) ->
                        tracerProvider.addSpanProcessor(KeepSpanIds.INSTANCE))
                .build()
                .getOpenTelemetrySdk();
        return new Telemetry(sdk, resource.get(), true);
    }

    /**
     * For tests: W3C trace-context and baggage propagators, a {@link SimpleSpanProcessor} into {@code exporter}
     * (spans are exported as they end), always-on sampler, resource with {@code service.name}.
     * {@link #close()} shuts the exporter down too; an {@code InMemorySpanExporter} then forgets its spans, so assert
     * before closing.
     */
    public static Telemetry forTests(String serviceName, SpanExporter exporter) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName)));
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        return new Telemetry(sdk, resource, false);
    }

    /** The SDK to hand to instrumentation; never the global one. */
    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** The {@code service.name} this SDK reports. */
    public String serviceName() {
        String name = resource.getAttribute(SERVICE_NAME);
        return name == null ? "unknown_service:java" : name;
    }

    /** The resource attached to every span (service name and version, environment, SDK details). */
    public Resource resource() {
        return resource;
    }

    /** Flushes pending spans and shuts the SDK down; idempotent. */
    @Override
    public void close() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException jvmAlreadyExiting) {
                // the hook is running or about to; shutdown() below is idempotent anyway
            }
        }
        shutdown();
    }

    private void shutdown() {
        if (closed.compareAndSet(false, true)) {
            sdk.shutdown().join(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Properties only filled in when neither environment nor system properties give them. */
    private static Map<String, String> defaults(ConfigProperties config, String defaultServiceName) {
        Map<String, String> defaults = new HashMap<>();
        if (isBlank(config.getString("otel.service.name"))
                && !config.getMap("otel.resource.attributes").containsKey(SERVICE_NAME.getKey())) {
            defaults.put("otel.service.name", defaultServiceName);
        }
        if (isBlank(config.getString("otel.traces.exporter"))) {
            boolean collector = !isBlank(config.getString("otel.exporter.otlp.endpoint"))
                    || !isBlank(config.getString("otel.exporter.otlp.traces.endpoint"));
            defaults.put("otel.traces.exporter", collector ? "otlp" : "none");
        }
        if (isBlank(config.getString("otel.exporter.otlp.protocol"))
                && isBlank(config.getString("otel.exporter.otlp.traces.protocol"))) {
            // The Java SDK defaults to grpc, which needs the okhttp or grpc-java sender; we ship only the JDK's
            // HTTP sender, so OTLP goes over http/protobuf (collector port 4318).
            defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        }
        if (isBlank(config.getString("otel.metrics.exporter"))) {
            defaults.put("otel.metrics.exporter", "none");
        }
        if (isBlank(config.getString("otel.logs.exporter"))) {
            defaults.put("otel.logs.exporter", "none");
        }
        return defaults;
    }

    /** Adds version and environment unless OTEL_RESOURCE_ATTRIBUTES already named them. */
    private static Resource complete(Resource detected, String serviceVersion) {
        var defaults = Resource.builder();
        if (serviceVersion != null && !serviceVersion.isBlank()) {
            defaults.put(SERVICE_VERSION, serviceVersion);
        }
        String oldEnvironment = detected.getAttribute(DEPLOYMENT_ENVIRONMENT_OLD);
        defaults.put(DEPLOYMENT_ENVIRONMENT_NAME, oldEnvironment == null ? DEFAULT_ENVIRONMENT : oldEnvironment);
        // merge: the argument wins, so whatever the environment said overrides our defaults
        return defaults.build().merge(detected);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
