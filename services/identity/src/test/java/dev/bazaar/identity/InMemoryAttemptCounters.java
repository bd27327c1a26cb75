package dev.bazaar.identity;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Attempt counters in a map, for unit tests; each operation is atomic per key, as the one upsert is. */
final class InMemoryAttemptCounters implements AttemptCounters {
    final Map<String, Count> counts = new ConcurrentHashMap<>();

    @Override
    public Count increment(String key, Instant now, Instant newWindowEnd) {
        return counts.merge(key, new Count(1, newWindowEnd), (old, fresh) ->
                old.windowEnd().isAfter(now) ? new Count(old.count() + 1, old.windowEnd()) : fresh);
    }

    @Override
    public void decrement(String key, Instant now) {
        counts.computeIfPresent(key, (k, c) ->
                c.count() > 0 && c.windowEnd().isAfter(now) ? new Count(c.count() - 1, c.windowEnd()) : c);
    }

    @Override
    public void delete(String key) {
        counts.remove(key);
    }

    @Override
    public int deleteExpired(Instant now) {
        var expired = counts.entrySet().stream().filter(e -> !e.getValue().windowEnd().isAfter(now))
                .map(Map.Entry::getKey).toList();
        expired.forEach(counts::remove);
        return expired.size();
    }
}
