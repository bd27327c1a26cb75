package dev.bazaar.identity.db;

import dev.bazaar.identity.AttemptCounters;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;

/** Attempt counters in identity's PostgreSQL database, one row per key. */
public final class JdbiAttemptCounters implements AttemptCounters {
    /** Far beyond any limit; keeps a flood of attempts from overflowing the integer. */
    private static final int CEILING = 1_000_000_000;
    private final Jdbi jdbi;

    public JdbiAttemptCounters(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Count increment(String key, Instant now, Instant newWindowEnd) {
        // One statement: the row lock of ON CONFLICT DO UPDATE orders concurrent attempts on a key, and every
        // attempt sees the count including those before it. (SET expressions read the row as it was.)
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO attempt_counters AS c (key, count, expires_at) VALUES (:key, 1, :end)
                        ON CONFLICT (key) DO UPDATE SET
                            count = CASE WHEN c.expires_at <= :now THEN 1 ELSE LEAST(c.count + 1, :ceiling) END,
                            expires_at = CASE WHEN c.expires_at <= :now THEN EXCLUDED.expires_at ELSE c.expires_at END
                        RETURNING count, expires_at
                        """)
                .bind("key", key).bind("now", Timestamp.from(now)).bind("end", Timestamp.from(newWindowEnd))
                .bind("ceiling", CEILING)
                .map((rs, ctx) -> new Count(rs.getInt("count"), rs.getTimestamp("expires_at").toInstant()))
                .one());
    }

    @Override
    public void decrement(String key, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE attempt_counters SET count = count - 1 WHERE key = :key AND count > 0 AND expires_at > :now
                        """)
                .bind("key", key).bind("now", Timestamp.from(now)).execute());
    }

    @Override
    public void delete(String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM attempt_counters WHERE key = :key").bind("key", key).execute());
    }

    @Override
    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM attempt_counters WHERE expires_at <= :now")
                .bind("now", Timestamp.from(now)).execute());
    }
}
