package dev.bazaar.messaging.outbox;

import dev.bazaar.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/** Creates the messaging tables in a test database exactly as the service kit does, and opens JDBI on it. */
public final class MessagingSchema {
    private MessagingSchema() {
    }

    public static Jdbi migrate(TestDatabase database) {
        Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("classpath:db/messaging")
                .table("messaging_schema_history")
                .load()
                .migrate();
        return Jdbi.create(database.url(), database.user(), database.password());
    }
}
