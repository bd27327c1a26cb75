package dev.bazaar.messaging.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How the outbox relay runs.
 *
 * @param pollInterval   how often it looks for rows nobody woke it for ({@link OutboxRelay#wakeUp()} after each
 *                       commit is the normal path): only rows of an instance that died between its commit and its
 *                       relay wait this long, so it can be long and idle stays free of SQL
 * @param batchSize      rows per transaction
 * @param publishTimeout how long one publish waits for JetStream's acknowledgement
 * @param retention      how long published rows are kept (for inspection) before being purged
 */
public record OutboxSettings(Duration pollInterval, int batchSize, Duration publishTimeout, Duration retention) {

    public OutboxSettings {
        positive(pollInterval, "pollInterval");
        positive(publishTimeout, "publishTimeout");
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
    }

    /** 10 s, 100 rows, 5 s, 7 days. */
    public static OutboxSettings defaults() {
        return new OutboxSettings(Duration.ofSeconds(10), 100, Duration.ofSeconds(5), Duration.ofDays(7));
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
