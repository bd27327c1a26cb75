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

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.Set;

/**
 * A service's own PostgreSQL database: a HikariCP pool, migrated by Flyway ({@code classpath:db/<service>}: one
 * folder per service, so that services sharing a test classpath never see each other's migrations) before anything
 * else touches it, and a traced JDBI over the pool.
 */
public final class Database implements AutoCloseable {
    /** Lock not available, serialization failure, deadlock, idle-in-transaction timeout. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("55P03", "40001", "40P01", "25P03");
    /** The advisory lock key migrations take (any constant: advisory locks are per database). */
    private static final long MIGRATION_LOCK = 0x42617a6161724dL; // "BazaarM"

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
        // Every call bounded (docs/reliability.md, "Settings"): server-side statement, lock and idle-in-transaction
        // timeouts on each session, client-side connect and read timeouts, and idle connections tested.
        DatabaseSettings.Bounds bounds = settings.bounds();
        config.addDataSourceProperty("options", bounds.sessionOptions());
        config.addDataSourceProperty("socketTimeout", Long.toString(bounds.socketTimeout().toSeconds()));
        config.addDataSourceProperty("connectTimeout", Long.toString(bounds.connectTimeout().toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.setKeepaliveTime(bounds.keepalive().toMillis());
        config.setValidationTimeout(Math.min(1_000, settings.connectionTimeout().toMillis()));
        // PostgreSQL's error details quote row values (personal data): keep them out of logs and spans.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // Start even while PostgreSQL is briefly away: readiness reports it, the pool reconnects.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            // The messaging library's tables (outbox, processed events) keep their own history, so that neither
            // side's version numbers constrain the other's; each side starts from a baseline below its V1 when
            // it finds the other's tables already there.
            migrateAlone(settings, service);
            Jdbi jdbi = Jdbi.create(new FailFastDataSource(pool)).installPlugin(new PostgresPlugin());
            // JDBI's exception messages list bound values by default: leave them out (spans carry the SQL text).
            jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
            SqlTracing.install(jdbi, openTelemetry, settings.databaseName());
            return new Database(pool, jdbi);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Both migrations under a session advisory lock of the database, so that instances starting at once migrate one
     * after the other: Flyway locks a schema history table only once it exists, and a second instance that found the
     * first one's table created but still empty failed ("Unable to baseline schema history table ... as it already
     * exists, and is empty"). The lock goes with the session if the instance dies.
     */
    private static void migrateAlone(DatabaseSettings settings, String service) {
        try (Connection lock = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement statement = lock.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                migrate(settings, "classpath:db/messaging", "messaging_schema_history");
                migrate(settings, "classpath:db/" + service, "flyway_schema_history");
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the migration lock of " + settings.databaseName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * On its own connection, outside the pool: a migration (an index on a large table) may rightly take longer than
     * the statement and lock timeouts every pooled session has.
     */
    private static void migrate(DatabaseSettings settings, String location, String historyTable) {
        Flyway.configure().dataSource(settings.url(), settings.user(), settings.password()).locations(location)
                .table(historyTable).baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }

    /**
     * True when {@code error} says the database cannot serve now rather than that the request is wrong: a lock or
     * statement timeout, no pooled connection in time, a lost or refused connection, a serialization failure or
     * deadlock. Callers answer 503 (retry later) instead of 500.
     */
    public static boolean isUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SocketTimeoutException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53")
                        || UNAVAILABLE_STATES.contains(state)) {
                    return true;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
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
