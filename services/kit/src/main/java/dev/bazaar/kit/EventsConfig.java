package dev.bazaar.kit;

import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.messaging.outbox.OutboxSettings;
import dev.bazaar.messaging.outbox.ProcessedEvents;
import io.helidon.config.Config;
import io.nats.client.api.StorageType;

import java.time.Duration;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Reads how streams are stored ({@code events.storage} file|memory, {@code events.replicas}, {@code events.max-age},
 * {@code events.duplicate-window}; R1 file locally, R3 in a cluster) and how the outbox relay runs
 * ({@code outbox.poll-interval}, {@code outbox.batch-size}, {@code outbox.publish-timeout}, {@code outbox.retention},
 * {@code outbox.purge-interval}),
 * and starts the background parts built from them: the outbox relay, the purge of its published rows and the purge
 * of processed-event ids.
 */
public final class EventsConfig {
    private static final Logger LOG = Logger.getLogger(EventsConfig.class.getName());

    private EventsConfig() {
    }

    public static StreamSettings streams(Config events) {
        return new StreamSettings(
                StorageType.valueOf(capitalized(events.get("storage").asString().get())),
                events.get("replicas").asInt().get(),
                events.get("max-age").as(Duration.class).get(),
                events.get("duplicate-window").as(Duration.class).get());
    }

    public static OutboxSettings outbox(Config outbox) {
        return new OutboxSettings(
                outbox.get("poll-interval").as(Duration.class).get(),
                outbox.get("batch-size").asInt().get(),
                outbox.get("publish-timeout").as(Duration.class).get(),
                outbox.get("retention").as(Duration.class).get());
    }

    /** The outbox relay of {@code database}, publishing to {@code nats} as the {@code outbox} node says, started. */
    public static OutboxRelay startRelay(Database database, NatsMessaging nats, Config outbox) {
        return OutboxRelay.start(database.jdbi(), new EventPublisher(nats), outbox(outbox));
    }

    /**
     * The purge of the relay's published rows older than {@code outbox.retention}, every {@code outbox.purge-interval}
     * (they are kept for days: minutes are soon enough, and idle stays quiet). Started; close it before the relay.
     */
    public static Periodic startOutboxPurge(OutboxRelay relay, Config outbox) {
        return Periodic.start("outbox-purge", outbox.get("purge-interval").as(Duration.class).get(), () -> {
            int purged = relay.purgePublished();
            LOG.fine(() -> "outbox purge deleted " + purged + " published rows");
        });
    }

    /**
     * The purge of processed-event ids (the idempotent-consumer guard's memory) older than
     * {@code events.processed-retention}, every {@code events.processed-purge-interval}: kept well beyond the
     * streams' max age, then forgotten. Started.
     */
    public static Periodic startProcessedEventsPurge(Database database, Config events) {
        Duration keep = events.get("processed-retention").as(Duration.class).get();
        return Periodic.start("processed-events-purge", events.get("processed-purge-interval").as(Duration.class).get(),
                () -> database.jdbi().useHandle(h -> ProcessedEvents.purgeOlderThan(h, keep)));
    }

    private static String capitalized(String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        return lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
