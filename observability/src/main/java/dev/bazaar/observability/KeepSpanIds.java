package dev.bazaar.observability;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A span processor that does nothing.
 * <p>
 * It exists because an SDK with no span processor at all (what autoconfigure builds for
 * {@code OTEL_TRACES_EXPORTER=none}) creates spans with all-zero ids, so nothing propagates downstream. With this
 * one registered, ids are real and {@code traceparent} flows even when nothing is exported.
 */
enum KeepSpanIds implements SpanProcessor {
    INSTANCE;

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
