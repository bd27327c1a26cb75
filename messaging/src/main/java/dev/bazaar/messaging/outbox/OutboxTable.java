package dev.bazaar.messaging.outbox;

import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The relay's SQL on {@code messaging_outbox} (see {@code db/messaging/V1__outbox.sql}). */
final class OutboxTable {
    private static final int MAX_ERROR_LENGTH = 1000;

    private OutboxTable() {
    }

    /** Locks up to {@code limit} unpublished rows in creation order, skipping rows another relay holds. */
    static List<OutboxRow> lockBatch(Handle handle, int limit) {
        return handle.createQuery("""
                        SELECT id, event_id, subject, payload, traceparent, tracestate, attempts
                        FROM messaging_outbox
                        WHERE published_at IS NULL
                        ORDER BY id
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED
                        """)
                .bind("limit", limit)
                .map((row, context) -> OutboxRow.read(row))
                .list();
    }

    static void markPublished(Handle handle, List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        handle.createUpdate("UPDATE messaging_outbox SET published_at = clock_timestamp() WHERE id = ANY(:ids)")
                .bindArray("ids", Long.class, ids)
                .execute();
    }

    static void recordFailure(Handle handle, long id, String error) {
        String message = String.valueOf(error);
        handle.createUpdate("UPDATE messaging_outbox SET attempts = attempts + 1, last_error = :error WHERE id = :id")
                .bind("error", message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message)
                .bind("id", id)
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
