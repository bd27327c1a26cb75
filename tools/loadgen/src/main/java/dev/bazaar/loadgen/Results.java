package dev.bazaar.loadgen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one phase of a run (warm-up or measured) recorded: each operation's statistics, and the operations that were
 * due but not sent ({@code dropped}: more than the in-flight limit waiting) or skipped (a login without users).
 */
final class Results {
    private final Map<String, OperationStats> operations = new ConcurrentHashMap<>();
    final LongAdder dropped = new LongAdder();
    final LongAdder skipped = new LongAdder();
    private volatile long elapsedNanos;

    OperationStats operation(String name) {
        return operations.computeIfAbsent(name, OperationStats::new);
    }

    /** The operations by name, in a stable order. */
    Map<String, OperationStats> operations() {
        return new TreeMap<>(operations);
    }

    void finished(long elapsed) {
        this.elapsedNanos = elapsed;
    }

    double seconds() {
        return elapsedNanos / 1e9;
    }

    long done() {
        return operations.values().stream().mapToLong(OperationStats::count).sum();
    }

    long errors() {
        return operations.values().stream().mapToLong(OperationStats::errors).sum();
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("elapsed_s", Math.round(seconds() * 1000) / 1000.0);
        json.put("done", done());
        json.put("errors", errors());
        json.put("dropped", dropped.sum());
        json.put("skipped", skipped.sum());
        Map<String, Object> byName = new LinkedHashMap<>();
        operations().forEach((name, stats) -> byName.put(name, stats.toJson(seconds())));
        json.put("operations", byName);
        return json;
    }
}
