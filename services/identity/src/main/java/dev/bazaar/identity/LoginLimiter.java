package dev.bazaar.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed logins per key (an account, a client address) in a sliding window, in this instance's memory:
 * N instances allow N times the limit. The map is bounded (least recently touched keys are dropped first), so a flood
 * of distinct keys costs memory only up to {@code maxKeys}.
 */
public final class LoginLimiter {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures;

    public LoginLimiter(int maxFailures, Duration window, int maxKeys, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.failures = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** How long until {@code key} may try again, when it has reached the limit within the window. */
    public synchronized Optional<Duration> blockedFor(String key) {
        Instant now = clock.instant();
        Deque<Instant> times = prune(key, now);
        if (times == null || times.size() < maxFailures) {
            return Optional.empty();
        }
        // The oldest failure that still counts leaves the window first; then one more try is allowed.
        Instant oldestCounted = times.toArray(Instant[]::new)[times.size() - maxFailures];
        return Optional.of(Duration.between(now, oldestCounted.plus(window)));
    }

    public synchronized void recordFailure(String key) {
        Instant now = clock.instant();
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
    }

    /** Forgets the failures of {@code key} (an account after a successful login). */
    public synchronized void reset(String key) {
        failures.remove(key);
    }

    private Deque<Instant> prune(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return null;
        }
        Instant since = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(since)) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return null;
        }
        return times;
    }
}
