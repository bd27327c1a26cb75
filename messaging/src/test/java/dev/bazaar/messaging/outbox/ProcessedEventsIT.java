package dev.bazaar.messaging.outbox;

import dev.bazaar.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessedEventsIT {
    private static TestDatabase database;
    private static Jdbi jdbi;

    @BeforeAll
    static void start() {
        database = TestDatabase.create("processed_events");
        jdbi = MessagingSchema.migrate(database);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void anEventIsNewOnlyTheFirstTime() {
        String eventId = UUID.randomUUID().toString();

        boolean first = firstTime("payments-orders", eventId);
        boolean second = firstTime("payments-orders", eventId);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void eachConsumerSeesTheEventOnce() {
        String eventId = UUID.randomUUID().toString();

        assertThat(firstTime("catalog-orders", eventId)).isTrue();
        assertThat(firstTime("notifications-orders", eventId))
                .isTrue();
    }

    @Test
    void aRolledBackAttemptLeavesNoMark() {
        String eventId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
            assertThat(ProcessedEvents.firstTime(handle, "orders-payments", eventId)).isTrue();
            throw new IllegalStateException("the effect failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(firstTime("orders-payments", eventId)).isTrue();
    }

    @Test
    void concurrentDuplicatesSucceedExactlyOnce() throws Exception {
        String eventId = UUID.randomUUID().toString();
        int racers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < racers; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return firstTime("racers", eventId);
                }));
            }
            go.countDown();
            int firsts = 0;
            for (Future<Boolean> result : results) {
                firsts += result.get() ? 1 : 0;
            }
            assertThat(firsts).isEqualTo(1);
        }
    }

    @Test
    void theGuardNeedsATransaction() {
        assertThatThrownBy(() -> jdbi.useHandle(handle -> ProcessedEvents.firstTime(handle, "c", "e")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oldMarksCanBePurged() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        jdbi.useTransaction(handle -> {
            ProcessedEvents.firstTime(handle, "purge-test", old);
            ProcessedEvents.firstTime(handle, "purge-test", recent);
            handle.createUpdate("UPDATE messaging_processed_events SET processed_at = now() - interval '40 days' "
                    + "WHERE event_id = :id").bind("id", old).execute();
        });

        int purged = jdbi.withHandle(handle -> ProcessedEvents.purgeOlderThan(handle, Duration.ofDays(30)));

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(firstTime("purge-test", old)).isTrue();
        assertThat(firstTime("purge-test", recent)).isFalse();
    }

    private static boolean firstTime(String consumer, String eventId) {
        return jdbi.inTransaction(handle -> ProcessedEvents.firstTime(handle, consumer, eventId));
    }
}
