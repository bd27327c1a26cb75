package dev.bazaar.messaging;

import io.nats.client.ReconnectDelayHandler;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between reconnect rounds (100 ms, 200 ms, 400 ms, ...) capped at a maximum, plus up to 25 %
 * random jitter so that many instances do not hit a restarted server in lockstep.
 */
final class ReconnectBackoff implements ReconnectDelayHandler {
    private static final long BASE_MILLIS = 100;

    private final long maxMillis;

    ReconnectBackoff(Duration max) {
        this.maxMillis = Math.max(1, max.toMillis());
    }

    @Override
    public Duration getWaitTime(long totalRounds) {
        int doublings = (int) Math.min(Math.max(totalRounds - 1, 0), 20); // 2^20 * 100 ms is beyond any cap
        long wait = Math.min(maxMillis, BASE_MILLIS << doublings);
        long jitter = ThreadLocalRandom.current().nextLong(wait / 4 + 1);
        return Duration.ofMillis(wait + jitter);
    }
}
