package dev.bazaar.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * At most {@code max} attempts per key (an account, a client, an address) in a fixed window that starts with a key's
 * first attempt. The attempt is counted <em>before</em> the work it guards (a password hash), in one atomic
 * statement of the shared database: of 60 parallel guesses, only {@code max} get to the hash, whichever instance
 * they reach. Work that turns out legitimate gives its attempt back ({@link #giveBack}) or clears the key
 * ({@link #reset}).
 */
public final class AttemptLimiter {
    private final AttemptCounters counters;
    private final int max;
    private final Duration window;
    private final Clock clock;

    public AttemptLimiter(AttemptCounters counters, int max, Duration window, Clock clock) {
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("an attempt limit needs max >= 1 and a positive window");
        }
        this.counters = counters;
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Counts one attempt for every key; empty when each is within the limit, else how long until the last blocked
     * key's window ends.
     */
    public Optional<Duration> attempt(String... keys) {
        Instant now = clock.instant();
        Duration longest = null;
        for (String key : keys) {
            AttemptCounters.Count count = counters.increment(key, now, now.plus(window));
            if (count.count() > max) {
                Duration left = Duration.between(now, count.windowEnd());
                longest = longest == null || left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return Optional.ofNullable(longest);
    }

    /** The attempt on {@code key} was legitimate (a successful login from an address): it does not count. */
    public void giveBack(String key) {
        counters.decrement(key, clock.instant());
    }

    /** Forgets {@code key}'s attempts (an account after a successful login). */
    public void reset(String key) {
        counters.delete(key);
    }

    /** Deletes ended windows; run periodically. */
    public int purgeExpired() {
        return counters.deleteExpired(clock.instant());
    }
}
