package dev.bazaar.kit;

import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.outbox.OutboxSettings;
import io.helidon.config.Config;
import io.nats.client.api.StorageType;

import java.time.Duration;
import java.util.Locale;

/**
 * Reads how streams are stored ({@code events.storage} file|memory, {@code events.replicas}, {@code events.max-age},
 * {@code events.duplicate-window}; R1 file locally, R3 in a cluster) and how the outbox relay runs
 * ({@code outbox.poll-interval}, {@code outbox.batch-size}, {@code outbox.publish-timeout}, {@code outbox.retention}).
 */
public final class EventsConfig {
    private EventsConfig() {
    }

    public static StreamSettings streams(Config events) {
        StreamSettings defaults = StreamSettings.local();
        return new StreamSettings(
                events.get("storage").asString().map(s -> StorageType.valueOf(capitalized(s))).orElse(defaults.storage()),
                events.get("replicas").asInt().orElse(defaults.replicas()),
                events.get("max-age").as(Duration.class).orElse(defaults.maxAge()),
                events.get("duplicate-window").as(Duration.class).orElse(defaults.duplicateWindow()));
    }

    public static OutboxSettings outbox(Config outbox) {
        OutboxSettings defaults = OutboxSettings.defaults();
        return new OutboxSettings(
                outbox.get("poll-interval").as(Duration.class).orElse(defaults.pollInterval()),
                outbox.get("batch-size").asInt().orElse(defaults.batchSize()),
                outbox.get("publish-timeout").as(Duration.class).orElse(defaults.publishTimeout()),
                outbox.get("retention").as(Duration.class).orElse(defaults.retention()));
    }

    private static String capitalized(String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        return lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
