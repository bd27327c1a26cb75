package dev.bazaar.messaging.events;

import io.nats.client.api.StorageType;

import java.time.Duration;
import java.util.Objects;

/**
 * How the streams of one environment are stored, from configuration: R1 on file locally, R3 in a cluster.
 *
 * @param storage         file or memory
 * @param replicas        1 locally, 3 in a cluster (1..5)
 * @param maxAge          how long a message is kept
 * @param duplicateWindow how long JetStream remembers a {@code Nats-Msg-Id} to drop a re-publish; also how long a
 *                        dead letter must wait before it can be replayed under the same id (at most {@code maxAge})
 */
public record StreamSettings(StorageType storage, int replicas, Duration maxAge, Duration duplicateWindow) {

    public StreamSettings {
        Objects.requireNonNull(storage, "storage");
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas must be 1..5: " + replicas);
        }
        positive(maxAge, "maxAge");
        positive(duplicateWindow, "duplicateWindow");
        if (duplicateWindow.compareTo(maxAge) > 0) {
            throw new IllegalArgumentException("duplicateWindow " + duplicateWindow + " exceeds maxAge " + maxAge);
        }
    }

    /** File storage, 1 replica, 7 days, 2 minutes: one local nats-server. */
    public static StreamSettings local() {
        return new StreamSettings(StorageType.File, 1, Duration.ofDays(7), Duration.ofMinutes(2));
    }

    static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
