package dev.bazaar.kit;

import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Once a wait for a pooled connection has timed out, one caller waits for the next connection and the others fail at
 * once (503), until one gets it (scenario e of the fault harness: every request of an outage waited the whole pool
 * timeout, dozens at a time).
 */
class FailFastPoolIT {
    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void afterAWaitThatTimedOutOneCallerWaitsAndTheOthersFailAtOnceUntilAConnectionComes() throws Exception {
        try (TestDatabase db = TestDatabase.create("kit_failfast");
             Database database = Database.migrateAndOpen(new DatabaseSettings(db.url(), db.user(), db.password(), 1,
                     POOL_TIMEOUT), "kittest", OpenTelemetry.noop())) {
            Handle holder = database.jdbi().open(); // the pool's only connection, taken
            try {
                long started = System.nanoTime();
                assertThatThrownBy(() -> select(database)).satisfies(e -> assertThat(Database.isUnavailable(e)).isTrue());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the first waits the pool timeout")
                        .isGreaterThanOrEqualTo(POOL_TIMEOUT.minusMillis(100));

                CompletableFuture<Integer> probe = CompletableFuture.supplyAsync(() -> select(database));
                awaitWaiting(database);
                started = System.nanoTime();
                assertThatThrownBy(() -> select(database)).satisfies(e -> assertThat(Database.isUnavailable(e)).isTrue())
                        .hasStackTraceContaining("another request is already waiting");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the others fail at once")
                        .isLessThan(POOL_TIMEOUT.dividedBy(2));

                holder.close(); // the connection comes back: the waiting caller gets it
                holder = null;
                assertThat(probe.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            } finally {
                if (holder != null) {
                    holder.close();
                }
            }
            assertThat(select(database)).as("and everyone after it, as before").isEqualTo(1);
            assertThat(select(database)).isEqualTo(1);
        }
    }

    private static int select(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    }

    private static void awaitWaiting(Database database) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.poolStats().getThreadsAwaitingConnection() == 0) {
            assertThat(System.nanoTime()).as("a caller waiting in the pool").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
