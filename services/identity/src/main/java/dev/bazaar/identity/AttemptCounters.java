package dev.bazaar.identity;

import java.time.Instant;

/** Where attempt counters live: shared by every instance of identity, so N instances still allow the limit once. */
public interface AttemptCounters {
    /** A key's count in its current window, and when that window ends. */
    record Count(int count, Instant windowEnd) {
    }

    /**
     * Atomically counts one attempt for {@code key}: in its current window, or in a new one ending at
     * {@code newWindowEnd} when it has none or its window ended by {@code now}.
     */
    Count increment(String key, Instant now, Instant newWindowEnd);

    /** Takes one attempt back from {@code key}'s running window (never below zero). */
    void decrement(String key, Instant now);

    /** Forgets {@code key}. */
    void delete(String key);

    /** Deletes the counters whose window ended before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
