package dev.bazaar.kit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bazaar.observability.SqlTracing;
import io.helidon.config.Config;
import io.opentelemetry.api.OpenTelemetry;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A service's own PostgreSQL database: a HikariCP pool, migrated by Flyway ({@code classpath:db/<service>}: one
 * folder per service, so that services sharing a test classpath never see each other's migrations) before anything
 * else touches it, and a traced JDBI over the pool.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool, Jdbi jdbi) {
        this.pool = pool;
        this.jdbi = jdbi;
    }

    /** The database of the {@code db} config node ({@link DatabaseSettings}), migrated and ready for use. */
    public static Database open(Config db, String service, OpenTelemetry openTelemetry) {
        return migrateAndOpen(DatabaseSettings.from(db), service, openTelemetry);
    }

    /** Opens the pool, applies pending migrations, and returns the database ready for use. */
    public static Database migrateAndOpen(DatabaseSettings settings, String service, OpenTelemetry openTelemetry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setPoolName(service);
        // PostgreSQL's error details quote row values (personal data): keep them out of logs and spans.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // Start even while PostgreSQL is briefly away: readiness reports it, the pool reconnects.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            // The messaging library's tables (outbox, processed events) keep their own history, so that neither
            // side's version numbers constrain the other's; each side starts from a baseline below its V1 when
            // it finds the other's tables already there.
            migrate(pool, "classpath:db/messaging", "messaging_schema_history");
            migrate(pool, "classpath:db/" + service, "flyway_schema_history");
            Jdbi jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
            // JDBI's exception messages list bound values by default: leave them out (spans carry the SQL text).
            jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
            SqlTracing.install(jdbi, openTelemetry, settings.databaseName());
            return new Database(pool, jdbi);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void migrate(HikariDataSource pool, String location, String historyTable) {
        Flyway.configure().dataSource(pool).locations(location).table(historyTable)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The pool's live numbers (active, idle, waiting), for metrics. */
    public com.zaxxer.hikari.HikariPoolMXBean poolStats() {
        return pool.getHikariPoolMXBean();
    }

    /** True when a pooled connection answers within one second (readiness). */
    public boolean isReachable() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
