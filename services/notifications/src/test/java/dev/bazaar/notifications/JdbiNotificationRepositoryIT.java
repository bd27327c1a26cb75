package dev.bazaar.notifications;

import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.notifications.db.JdbiNotificationRepository;
import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** The repository contract against PostgreSQL, behind the messaging library's processed-events guard. */
class JdbiNotificationRepositoryIT extends NotificationRepositoryContract {
    static TestDatabase testDb;
    static Database db;
    static JdbiNotificationRepository repository;

    @BeforeAll
    static void open() {
        testDb = TestDatabase.create("notifications_repo");
        db = Database.migrateAndOpen(new DatabaseSettings(testDb.url(), testDb.user(), testDb.password(), 4,
                Duration.ofSeconds(2)), "notifications", OpenTelemetry.noop());
        repository = new JdbiNotificationRepository(db.jdbi());
    }

    @AfterAll
    static void close() {
        db.close();
        testDb.close();
    }

    @Override
    NotificationRepository repository() {
        return repository;
    }
}
