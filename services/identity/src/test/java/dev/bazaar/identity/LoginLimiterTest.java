package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoginLimiterTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginLimiter limiter = new LoginLimiter(3, Duration.ofMinutes(15), 100, clock);

    @Test
    void blocksAtTheLimitUntilTheOldestCountedFailureLeavesTheWindow() {
        limiter.recordFailure("a");
        clock.advance(Duration.ofMinutes(5));
        limiter.recordFailure("a");
        assertThat(limiter.blockedFor("a")).isEmpty();
        limiter.recordFailure("a");

        assertThat(limiter.blockedFor("a")).hasValue(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(limiter.blockedFor("a")).hasValue(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.blockedFor("a")).isEmpty();
    }

    @Test
    void keysAreCountedApartAndResetForgets() {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure("a");
        }
        assertThat(limiter.blockedFor("b")).isEmpty();
        limiter.reset("a");
        assertThat(limiter.blockedFor("a")).isEmpty();
    }

    @Test
    void forgetsTheLeastRecentKeysBeyondTheBound() {
        LoginLimiter small = new LoginLimiter(1, Duration.ofMinutes(15), 2, clock);
        small.recordFailure("a");
        small.recordFailure("b");
        small.recordFailure("c");

        assertThat(small.blockedFor("a")).isEmpty();
        assertThat(small.blockedFor("c")).isPresent();
    }

    @Test
    void tooManyFailuresRoundsRetryAfterUpToWholeSeconds() {
        OAuthError error = OAuthError.tooManyFailures(Duration.ofMillis(1500));

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(error.getMessage()).isEqualTo("too many failed logins, retry after 2 s");
    }
}
