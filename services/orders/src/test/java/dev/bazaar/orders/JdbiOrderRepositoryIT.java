package dev.bazaar.orders;

import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.kit.Json;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.orders.db.JdbiOrderRepository;
import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** The repository contract against PostgreSQL, with the messaging outbox in the same transaction. */
class JdbiOrderRepositoryIT extends OrderRepositoryContract {
    static TestDatabase testDb;
    static Database db;
    static JdbiOrderRepository repository;

    @BeforeAll
    static void open() {
        testDb = TestDatabase.create("orders_repo");
        db = Database.migrateAndOpen(new DatabaseSettings(testDb.url(), testDb.user(), testDb.password(), 4,
                Duration.ofSeconds(2)), "orders", OpenTelemetry.noop());
        repository = new JdbiOrderRepository(db.jdbi(), new Outbox(Json.codec(), OpenTelemetry.noop()), () -> { });
    }

    @AfterAll
    static void close() {
        db.close();
        testDb.close();
    }

    @Override
    OrderRepository repository() {
        return repository;
    }

    @Override
    long queuedEvents() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messaging_outbox").mapTo(Long.class).one());
    }
}
