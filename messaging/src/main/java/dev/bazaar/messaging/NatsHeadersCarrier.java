package dev.bazaar.messaging;

import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.List;

/**
 * W3C trace context (and baggage, if configured) over NATS headers, for request-reply here and for JetStream
 * publish/consume elsewhere: inject before sending, extract on receipt.
 */
public final class NatsHeadersCarrier {
    /** Writes one propagation header; the headers must be writable (i.e. not those of a received message). */
    public static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.put(key, value);
        }
    };

    /** Reads propagation headers; tolerates messages without headers and senders that changed the case. */
    public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        // Deprecated since OpenTelemetry 1.68, but custom propagators may still enumerate the carrier.
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(Headers headers) {
            return headers == null ? List.of() : headers.keySet();
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            String value = headers.getFirst(key);
            if (value == null) {
                List<String> values = headers.getIgnoreCase(key);
                value = values == null || values.isEmpty() ? null : values.get(0);
            }
            return value;
        }
    };

    private NatsHeadersCarrier() {
    }

    /** Injects {@code context} into {@code headers} with the configured propagator. */
    public static void inject(OpenTelemetry openTelemetry, Context context, Headers headers) {
        openTelemetry.getPropagators().getTextMapPropagator().inject(context, headers, SETTER);
    }

    /** The context carried by {@code headers} (which may be {@code null}), on top of the root context. */
    public static Context extract(OpenTelemetry openTelemetry, Headers headers) {
        return openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    }
}
