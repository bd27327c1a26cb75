package dev.bazaar.messaging.outbox;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The relay's SQL on {@code messaging_outbox} (see {@code db/messaging/V1__outbox.sql}). */
final class OutboxTable {
    private static final int MAX_ERROR_LENGTH = 1000;

    /**
     * The batch's statements are planned at each execution, never prepared on the server: the table grows from empty
     * to every row published within the retention, and a server-side plan is kept until the table is next analyzed.
     * Made while the table was empty, it is a sequential scan; kept on a pooled connection with autovacuum off or
     * behind (this CI's PostgreSQL runs without it), it read every row ever published once per batch (15 ms of
     * PostgreSQL CPU per order after 40k orders). Planning these two small statements costs less than a page read.
     */
    private static final StatementCustomizer PLANNED_EACH_TIME = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context) throws SQLException {
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
        }
    };

    private OutboxTable() {
    }

    /**
     * Locks up to {@code limit} unpublished rows in creation order, skipping rows another relay holds. Call it in a
     * transaction.
     *
     * <p>It reads the index of unpublished rows in order, never as a bitmap. Publishing a row leaves its old version in
     * that index until the table is vacuumed; a bitmap scan visits the heap for each such entry every time (with
     * autovacuum off or behind: 1,405 pages, 4.8 ms per batch after 21,909 published rows), where an ordered index
     * scan marks the entries it finds dead, and every later scan, bitmap or not, skips them.
     */
    static List<OutboxRow> lockBatch(Handle handle, int limit) {
        handle.execute("SET LOCAL enable_bitmapscan = off");
        return handle.createQuery("""
                        SELECT id, event_id, subject, payload, traceparent, tracestate, attempts
                        FROM messaging_outbox
                        WHERE published_at IS NULL
                          AND (next_attempt_at IS NULL OR next_attempt_at <= clock_timestamp())
                        ORDER BY id
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED
                        """)
                .addCustomizer(PLANNED_EACH_TIME)
                .bind("limit", limit)
                .map((row, context) -> OutboxRow.read(row))
                .list();
    }

    /** Where JetStream stored a row. */
    record Stored(long id, String stream, long sequence) {
    }

    /** Marks the rows published where JetStream stored them, in one statement. */
    static void markPublished(Handle handle, List<Stored> rows) {
        if (rows.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                        UPDATE messaging_outbox o
                        SET published_at = clock_timestamp(), stream = v.stream, stream_seq = v.seq, next_attempt_at = NULL
                        FROM unnest(:ids, :streams, :seqs) AS v(id, stream, seq)
                        WHERE o.id = v.id
                        """)
                .addCustomizer(PLANNED_EACH_TIME)
                .bindArray("ids", Long.class, rows.stream().map(Stored::id).toList())
                .bindArray("streams", String.class, rows.stream().map(Stored::stream).toList())
                .bindArray("seqs", Long.class, rows.stream().map(Stored::sequence).toList())
                .execute();
    }

    /**
     * Counts a failed attempt; {@code retryIn}, when not null, keeps the row out of batches until then (a refusal
     * that the next batch would only repeat).
     */
    static void recordFailure(Handle handle, long id, String error, Duration retryIn) {
        String message = String.valueOf(error);
        handle.createUpdate("""
                        UPDATE messaging_outbox SET attempts = attempts + 1, last_error = :error,
                            next_attempt_at = clock_timestamp() + :retryMillis * interval '1 millisecond'
                        WHERE id = :id
                        """)
                .bind("error", message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message)
                .bind("retryMillis", retryIn == null ? null : retryIn.toMillis())
                .bind("id", id)
                .execute();
    }

    /** Per stream, the highest sequence of the rows stored in it (once per relay: a scan of the published rows). */
    static Map<String, Long> lastSequences(Handle handle) {
        Map<String, Long> last = new HashMap<>();
        handle.createQuery("""
                        SELECT stream, max(stream_seq) AS seq FROM messaging_outbox WHERE stream IS NOT NULL GROUP BY stream
                        """)
                .map((rs, ctx) -> Map.entry(rs.getString("stream"), rs.getLong("seq")))
                .forEach(entry -> last.put(entry.getKey(), entry.getValue()));
        return last;
    }

    /** Makes the rows stored in {@code stream} before row {@code beforeId} unpublished again; returns how many. */
    static int republish(Handle handle, String stream, long beforeId, String why) {
        return handle.createUpdate("""
                        UPDATE messaging_outbox
                        SET published_at = NULL, stream = NULL, stream_seq = NULL, next_attempt_at = NULL, last_error = :why
                        WHERE stream = :stream AND id < :beforeId AND published_at IS NOT NULL
                        """)
                .bind("stream", stream)
                .bind("beforeId", beforeId)
                .bind("why", why)
                .execute();
    }

    /** Makes every row published since {@code since} unpublished again; returns how many. */
    static int republishSince(Handle handle, Instant since) {
        return handle.createUpdate("""
                        UPDATE messaging_outbox
                        SET published_at = NULL, stream = NULL, stream_seq = NULL, next_attempt_at = NULL,
                            last_error = 'republished by an operator'
                        WHERE published_at >= :since
                        """)
                .bind("since", Timestamp.from(since))
                .execute();
    }

    static long backlog(Handle handle) {
        return handle.createQuery("SELECT count(*) FROM messaging_outbox WHERE published_at IS NULL")
                .mapTo(Long.class)
                .one();
    }

    static Optional<Duration> oldestUnpublishedAge(Handle handle) {
        return handle.createQuery("""
                        SELECT (extract(epoch FROM clock_timestamp() - min(created_at)) * 1000)::bigint
                        FROM messaging_outbox WHERE published_at IS NULL
                        """)
                .mapTo(Long.class)
                .findOne()
                .map(Duration::ofMillis);
    }

    static int purgePublished(Handle handle, Duration retention) {
        return handle.createUpdate("""
                        DELETE FROM messaging_outbox
                        WHERE published_at < clock_timestamp() - :retentionMillis * interval '1 millisecond'
                        """)
                .bind("retentionMillis", retention.toMillis())
                .execute();
    }
}
