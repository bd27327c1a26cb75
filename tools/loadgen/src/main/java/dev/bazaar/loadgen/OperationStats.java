package dev.bazaar.loadgen;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One operation's outcomes: latency in microseconds (measured from the intended start, so that a stalled system
 * is not hidden by the generator waiting for it), responses by status, and errors (unexpected status, I/O failure,
 * timeout).
 */
final class OperationStats {
    private static final long MAX_MICROS = 60_000_000L;

    final String name;
    private final Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder count = new LongAdder();
    private final LongAdder errors = new LongAdder();

    OperationStats(String name) {
        this.name = name;
    }

    void record(long micros, String outcome, boolean error) {
        latency.recordValue(Math.min(Math.max(micros, 0), MAX_MICROS));
        outcomes.computeIfAbsent(outcome, key -> new LongAdder()).increment();
        count.increment();
        if (error) {
            errors.increment();
        }
    }

    long count() {
        return count.sum();
    }

    long errors() {
        return errors.sum();
    }

    double percentileMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
        return latency.getMaxValue() / 1000.0;
    }

    double meanMillis() {
        return latency.getMean() / 1000.0;
    }

    /** This operation in the JSON result: count, rate over {@code seconds}, errors, latency percentiles, outcomes. */
    Map<String, Object> toJson(double seconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", count());
        json.put("rate_per_s", round(count() / seconds));
        json.put("errors", errors());
        json.put("mean_ms", round(meanMillis()));
        for (double p : new double[] {50, 90, 99, 99.9}) {
            json.put("p" + (p == 99.9 ? "999" : Integer.toString((int) p)) + "_ms", round(percentileMillis(p)));
        }
        json.put("max_ms", round(maxMillis()));
        json.put("outcomes", outcomes());
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    Map<String, Long> outcomes() {
        Map<String, Long> sorted = new TreeMap<>();
        outcomes.forEach((key, value) -> sorted.put(key, value.sum()));
        return sorted;
    }
}
