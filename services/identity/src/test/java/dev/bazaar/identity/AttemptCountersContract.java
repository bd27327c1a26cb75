package dev.bazaar.identity;

import dev.bazaar.identity.AttemptCounters.Count;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link AttemptCounters} guarantees; run against the fake and against PostgreSQL. */
abstract class AttemptCountersContract {
    static final Duration WINDOW = Duration.ofMinutes(15);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    final String key = "login:" + UUID.randomUUID();

    abstract AttemptCounters counters();

    @Test
    void countsAttemptsInTheWindowOfTheFirst() {
        assertThat(counters().increment(key, now, now.plus(WINDOW))).isEqualTo(new Count(1, now.plus(WINDOW)));
        assertThat(counters().increment(key, now.plusSeconds(1), now.plusSeconds(1).plus(WINDOW)))
                .isEqualTo(new Count(2, now.plus(WINDOW)));
    }

    @Test
    void aWindowThatEndedStartsANewOne() {
        counters().increment(key, now, now.plus(WINDOW));
        counters().increment(key, now, now.plus(WINDOW));

        Instant end = now.plus(WINDOW);
        assertThat(counters().increment(key, end, end.plus(WINDOW))).isEqualTo(new Count(1, end.plus(WINDOW)));
    }

    @Test
    void takesAnAttemptBackInTheRunningWindowNeverBelowZero() {
        counters().increment(key, now, now.plus(WINDOW));
        counters().decrement(key, now);
        counters().decrement(key, now);

        assertThat(counters().increment(key, now, now.plus(WINDOW)).count()).isEqualTo(1);
        counters().decrement(key, now.plus(WINDOW));
        assertThat(counters().increment(key, now, now.plus(WINDOW)).count()).as("the window had ended").isEqualTo(2);
    }

    @Test
    void forgetsADeletedKey() {
        counters().increment(key, now, now.plus(WINDOW));
        counters().increment(key, now, now.plus(WINDOW));

        counters().delete(key);

        assertThat(counters().increment(key, now, now.plus(WINDOW)).count()).isEqualTo(1);
    }

    @Test
    void deletesTheCountersWhoseWindowEnded() {
        String running = "register:" + UUID.randomUUID();
        counters().increment(key, now, now.plusSeconds(1));
        counters().increment(running, now, now.plus(WINDOW));
        counters().increment(running, now, now.plus(WINDOW));

        assertThat(counters().deleteExpired(now.plusSeconds(1))).isGreaterThanOrEqualTo(1);

        assertThat(counters().increment(key, now, now.plus(WINDOW)).count()).isEqualTo(1);
        assertThat(counters().increment(running, now, now.plus(WINDOW)).count()).isEqualTo(3);
    }
}
