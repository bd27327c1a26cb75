package dev.bazaar.kit;

import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Instances of one service starting at once on an empty database (replicas of a Kubernetes deployment). */
class DatabaseMigrationIT {
    private static final int INSTANCES = 4;
    /** The race is one of timing: several empty databases, each migrated by all instances at once. */
    private static final int ROUNDS = 6;

    @Test
    void instancesMigratingAnEmptyDatabaseAtOnceAllStart() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            migrateAtOnce();
        }
    }

    private static void migrateAtOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create("kit_migrate")) {
            DatabaseSettings settings = new DatabaseSettings(db.url(), db.user(), db.password(), 2,
                    Duration.ofSeconds(5));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Database>> opened = new ArrayList<>();
            try (ExecutorService executor = Executors.newFixedThreadPool(INSTANCES)) {
                for (int i = 0; i < INSTANCES; i++) {
                    opened.add(executor.submit(() -> {
                        go.await();
                        return Database.migrateAndOpen(settings, "kittest", OpenTelemetry.noop());
                    }));
                }
                go.countDown();
                for (Future<Database> database : opened) {
                    // Before the migration lock the second instance failed: "Unable to baseline schema history
                    // table ... as it already exists, and is empty".
                    database.get(60, TimeUnit.SECONDS).close();
                }
            }
            try (var connection = db.connect(); var statement = connection.createStatement();
                 var applied = statement.executeQuery("SELECT (SELECT count(*) FROM flyway_schema_history"
                         + " WHERE success AND version = '1'), (SELECT count(*) FROM messaging_schema_history"
                         + " WHERE success AND version = '1'), to_regclass('kittest_things') IS NOT NULL")) {
                assertThat(applied.next()).isTrue();
                assertThat(applied.getLong(1)).as("the service's V1 applied once").isEqualTo(1);
                assertThat(applied.getLong(2)).as("the messaging V1 applied once").isEqualTo(1);
                assertThat(applied.getBoolean(3)).isTrue();
            }
        }
    }
}
