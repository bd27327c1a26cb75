package dev.bazaar.messaging;

import dev.bazaar.testing.Await;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** An OpenTelemetry SDK local to a test (never the global one) that keeps finished spans in memory. */
public final class TestTelemetry implements AutoCloseable {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    public void reset() {
        exporter.reset();
    }

    /** Waits until a span named {@code name} has ended (server spans end after the reply is sent). */
    public SpanData awaitSpan(String name) {
        return awaitSpan(name, span -> true);
    }

    /** Waits until a span named {@code name} matching {@code condition} has ended. */
    public SpanData awaitSpan(String name, Predicate<SpanData> condition) {
        return Await.value("span " + name, Duration.ofSeconds(5), () -> spans().stream()
                .filter(span -> span.getName().equals(name) && condition.test(span))
                .findFirst()
                .orElse(null));
    }

    /** The ended spans named {@code name}. */
    public List<SpanData> spans(String name) {
        return spans().stream().filter(span -> span.getName().equals(name)).toList();
    }

    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
