package dev.bazaar.payments;

import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.kit.Json;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.payments.db.JdbiPaymentRepository;
import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository contract against PostgreSQL, with the messaging outbox in the same transaction. */
class JdbiPaymentRepositoryIT extends PaymentRepositoryContract {
    static TestDatabase testDb;
    static Telemetry telemetry;
    static Database db;
    static final AtomicLong wakeUps = new AtomicLong();
    static JdbiPaymentRepository repository;

    @BeforeAll
    static void open() {
        testDb = TestDatabase.create("payments_repo");
        telemetry = Telemetry.forTests("payments", InMemorySpanExporter.create());
        OpenTelemetry otel = telemetry.openTelemetry();
        db = Database.migrateAndOpen(new DatabaseSettings(testDb.url(), testDb.user(), testDb.password(), 4,
                Duration.ofSeconds(2)), "payments", otel);
        repository = new JdbiPaymentRepository(db.jdbi(), new Outbox(Json.codec(), otel), wakeUps::incrementAndGet);
    }

    @AfterAll
    static void close() {
        db.close();
        telemetry.close();
        testDb.close();
    }

    @Override
    PaymentRepository repository() {
        return repository;
    }

    @Override
    long queuedEvents() {
        long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messaging_outbox").mapTo(Long.class).one());
        assertThat(rows).as("outbox rows = wake-ups after commit").isEqualTo(wakeUps.get());
        return rows;
    }
}
