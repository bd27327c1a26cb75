package dev.bazaar.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
    @Test
    void operationsAreDueAtAConstantRateWithoutDrift() {
        Schedule schedule = new Schedule(1_000L, 3);
        assertThat(schedule.due(0)).isEqualTo(1_000L);
        assertThat(schedule.due(1)).isEqualTo(1_000L + 333_333_333L);
        assertThat(schedule.due(2)).isEqualTo(1_000L + 666_666_666L);
        // a rate that does not divide a second lands exactly on the second: no accumulated rounding
        assertThat(schedule.due(3)).isEqualTo(1_000L + 1_000_000_000L);
        assertThat(schedule.due(3_000_000)).isEqualTo(1_000L + 1_000_000_000_000_000L);
    }

    @Test
    void aRunHoldsTheOperationsDueBeforeItsEnd() {
        assertThat(new Schedule(0, 300).operationsIn(1_000_000_000L)).isEqualTo(300);
        assertThat(new Schedule(0, 300).operationsIn(10_000_000_000L)).isEqualTo(3_000);
        assertThat(new Schedule(0, 3).operationsIn(500_000_000L)).isEqualTo(2); // due at 0 and 333 ms
        assertThat(new Schedule(0, 1).operationsIn(1L)).isEqualTo(1);
        assertThatThrownBy(() -> new Schedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencyCountsFromTheDueTimeNotFromTheSend() {
        // due at 10 ms, sent late at 40 ms (the generator or the system stalled), answered at 45 ms: 35 ms, not 5
        long due = 10_000_000L;
        long answered = 45_000_000L;
        assertThat(Schedule.latencyMicros(due, answered)).isEqualTo(35_000L);
        assertThat(Schedule.latencyMicros(answered, due)).isZero();
    }

    @Test
    void statisticsReportPercentilesInMillisecondsAndOutcomes() {
        OperationStats stats = new OperationStats("read product");
        for (int i = 1; i <= 100; i++) {
            stats.record(i * 1_000L, i <= 98 ? "200" : "500", i > 98);
        }
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.errors()).isEqualTo(2);
        assertThat(stats.percentileMillis(50)).isBetween(49.9, 50.1);
        assertThat(stats.percentileMillis(99)).isBetween(98.9, 99.1);
        assertThat(stats.toJson(2.0)).containsEntry("count", 100L).containsEntry("rate_per_s", 50.0)
                .containsKeys("p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "mean_ms");
        assertThat(stats.outcomes()).containsEntry("200", 98L).containsEntry("500", 2L);
    }
}
