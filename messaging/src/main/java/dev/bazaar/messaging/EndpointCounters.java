package dev.bazaar.messaging;

import io.nats.client.support.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What jnats' own endpoint statistics cannot see, because handlers run off its dispatcher thread: error replies and
 * real handling time. Reported as the endpoint's {@code data} in {@code $SRV.STATS}.
 */
final class EndpointCounters {
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private volatile String lastError = "";

    void record(long elapsedNanos, ServiceError error) {
        handled.incrementAndGet();
        nanos.addAndGet(elapsedNanos);
        if (error != null) {
            errors.incrementAndGet();
            lastError = error.code() + " " + error.message();
        }
    }

    JsonValue toJson() {
        long count = handled.get();
        long total = nanos.get();
        Map<String, JsonValue> data = new LinkedHashMap<>();
        data.put("handled", new JsonValue(count));
        data.put("errors", new JsonValue(errors.get()));
        data.put("processing_time_ns", new JsonValue(total));
        data.put("average_processing_time_ns", new JsonValue(count == 0 ? 0 : total / count));
        data.put("last_error", new JsonValue(lastError));
        return new JsonValue(data);
    }
}
