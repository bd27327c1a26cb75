package dev.bazaar.messaging.outbox;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Duration;
import java.util.Objects;

/**
 * The idempotent-consumer guard. In the transaction that applies an event's effect:
 * <pre>{@code
 * jdbi.useTransaction(handle -> {
 *     if (ProcessedEvents.firstTime(handle, "payments-order-placed", context.eventId())) {
 *         ... apply the effect, append resulting events to the outbox ...
 *     }
 * });
 * }</pre>
 * The effect and the "seen" mark commit together, so a redelivered event is skipped, and a failed attempt (rolled
 * back) leaves no mark. Two deliveries racing in two transactions: the second insert waits for the first's commit,
 * then sees the conflict.
 */
public final class ProcessedEvents {
    private ProcessedEvents() {
    }

    /**
     * True the first time {@code consumer} sees {@code eventId} (a row is inserted in the caller's transaction);
     * false for a repeat.
     *
     * @throws IllegalStateException if {@code handle} has no open transaction (the guard would not be atomic with
     *                               the effect)
     */
    public static boolean firstTime(Handle handle, String consumer, String eventId) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(eventId, "eventId");
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("ProcessedEvents.firstTime must run inside the transaction that applies the effect");
        }
        return handle.createUpdate("""
                        INSERT INTO messaging_processed_events (consumer, event_id) VALUES (:consumer, :eventId)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("consumer", consumer)
                .bind("eventId", eventId)
                .execute() == 1;
    }

    /**
     * The guard as a WITH clause of the caller's own statement, for a consumer whose effect is one statement (atomic
     * by itself, without a transaction): {@code WITH g AS (}this{@code ), effect AS (INSERT ... WHERE EXISTS (SELECT
     * 1 FROM g)) ...}. It returns one row the first time, none for a repeat; bind its parameters with
     * {@link #bindTo}.
     */
    public static final String INSERT_FIRST_TIME = """
            INSERT INTO messaging_processed_events (consumer, event_id) VALUES (:processedConsumer, :processedEventId)
            ON CONFLICT DO NOTHING RETURNING 1""";

    /** Binds {@link #INSERT_FIRST_TIME}'s parameters. */
    public static <T extends SqlStatement<T>> T bindTo(T statement, String consumer, String eventId) {
        return statement.bind("processedConsumer", Objects.requireNonNull(consumer, "consumer"))
                .bind("processedEventId", Objects.requireNonNull(eventId, "eventId"));
    }

    /**
     * Forgets events processed more than {@code age} ago; returns how many. Keep {@code age} well beyond the
     * streams' max age, or a very late redelivery would be applied again.
     */
    public static int purgeOlderThan(Handle handle, Duration age) {
        Objects.requireNonNull(age, "age");
        return handle.createUpdate("""
                        DELETE FROM messaging_processed_events
                        WHERE processed_at < now() - :ageMillis * interval '1 millisecond'
                        """)
                .bind("ageMillis", age.toMillis())
                .execute();
    }
}
