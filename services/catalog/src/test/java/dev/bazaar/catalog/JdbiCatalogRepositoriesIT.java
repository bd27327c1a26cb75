package dev.bazaar.catalog;

import dev.bazaar.catalog.db.JdbiProductRepository;
import dev.bazaar.catalog.db.JdbiReservationRepository;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

import java.time.Duration;

/** The repository contracts against PostgreSQL (migrated, with the seed catalogue). */
class JdbiCatalogRepositoriesIT {
    static TestDatabase testDb;
    static Database db;
    static ProductRepository products;
    static ReservationRepository reservations;

    @BeforeAll
    static void open() {
        testDb = TestDatabase.create("catalog_repo");
        db = Database.migrateAndOpen(new DatabaseSettings(testDb.url(), testDb.user(), testDb.password(), 4,
                Duration.ofSeconds(2)), "catalog", OpenTelemetry.noop());
        products = new JdbiProductRepository(db.jdbi());
        reservations = new JdbiReservationRepository(db.jdbi());
    }

    @AfterAll
    static void close() {
        db.close();
        testDb.close();
    }

    @Nested
    class Products extends ProductRepositoryContract {
        @Override
        ProductRepository products() {
            return products;
        }
    }

    @Nested
    class Reservations extends ReservationRepositoryContract {
        @Override
        ProductRepository products() {
            return products;
        }

        @Override
        ReservationRepository reservations() {
            return reservations;
        }
    }
}
