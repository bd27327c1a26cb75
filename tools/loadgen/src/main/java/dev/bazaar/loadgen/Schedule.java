package dev.bazaar.loadgen;

/**
 * When each operation of an open loop is due: operation {@code i} at {@code start + i / rate}, whatever happened to
 * the earlier ones. Computed from {@code i} (not by adding an interval) so that a rate that does not divide a second
 * (3/s) does not drift. Latency is measured from this due time, not from the moment the request actually left: a
 * generator that fell behind (a stalled system, a full in-flight limit, a GC pause of its own) then shows the wait
 * as latency instead of hiding it ("coordinated omission").
 */
record Schedule(long startNanos, int ratePerSecond) {
    Schedule {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second: " + ratePerSecond);
        }
    }

    /** The nanoTime at which operation {@code i} (0-based) is due. */
    long due(long i) {
        return startNanos + i * 1_000_000_000L / ratePerSecond;
    }

    /** How many operations a run of {@code nanos} holds: those due strictly before its end. */
    long operationsIn(long nanos) {
        return Math.max(1, (nanos * ratePerSecond + 999_999_999L) / 1_000_000_000L);
    }

    /** The latency of an operation due at {@code dueNanos} that completed at {@code doneNanos}, in microseconds. */
    static long latencyMicros(long dueNanos, long doneNanos) {
        return Math.max(0, (doneNanos - dueNanos) / 1_000);
    }
}
