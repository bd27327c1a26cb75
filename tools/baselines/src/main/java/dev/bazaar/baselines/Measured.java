package dev.bazaar.baselines;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One measured figure: operations per second and latency percentiles, plus the CPU time this JVM used per operation
 * (all its threads: client and server side when both are in it). Closed loop: {@code concurrency} virtual threads
 * each run the operation back to back for the duration.
 */
record Measured(String name, long operations, double seconds, double p50Millis, double p99Millis,
                double cpuMillisPerOperation) {

    /** One operation; throws to count as an error (which stops the measurement: baselines must not fail). */
    interface Operation {
        void run() throws Exception;
    }

    static Measured closedLoop(String name, int concurrency, Duration length, Operation operation)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long cpuBefore = Cpu.processNanos();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                threads.execute(() -> {
                    while (System.nanoTime() < end && failure.get() == null) {
                        long sent = System.nanoTime();
                        try {
                            operation.run();
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                            return;
                        }
                        latency.recordValue(System.nanoTime() - sent);
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        return of(name, latency.getTotalCount(), System.nanoTime() - start, Cpu.processNanos() - cpuBefore, latency);
    }

    /** A batch of {@code count} operations whose time was taken as a whole (no per-operation latency). */
    static Measured batch(String name, long count, long elapsedNanos, long cpuNanos) {
        return new Measured(name, count, elapsedNanos / 1e9, Double.NaN, Double.NaN, cpuNanos / 1e6 / count);
    }

    private static Measured of(String name, long count, long elapsed, long cpu, Histogram latency) {
        return new Measured(name, count, elapsed / 1e9, latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6, count == 0 ? Double.NaN : cpu / 1e6 / count);
    }

    double rate() {
        return operations / seconds;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("operations", operations);
        json.put("seconds", round(seconds));
        json.put("rate_per_s", round(rate()));
        if (!Double.isNaN(p50Millis)) {
            json.put("p50_ms", round(p50Millis));
            json.put("p99_ms", round(p99Millis));
        }
        json.put("cpu_ms_per_op", round(cpuMillisPerOperation));
        return json;
    }

    @Override
    public String toString() {
        return String.format("%-34s %9.0f/s  p50 %7.3f ms  p99 %7.3f ms  cpu %.4f ms/op", name, rate(), p50Millis,
                p99Millis, cpuMillisPerOperation);
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 10_000) / 10_000.0;
    }
}
