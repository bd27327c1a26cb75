package dev.bazaar.kit;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Where a service's own database is, how large its pool may grow, and how long any database call may take.
 * Keys under {@code db}: {@code url}, {@code user}, {@code password}, {@code pool.size}, {@code pool.timeout}
 * (environment: {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}, {@code DB_POOL_SIZE}, {@code DB_POOL_TIMEOUT})
 * and the {@link Bounds} keys.
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectionTimeout,
                               Bounds bounds) {
    public DatabaseSettings {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db.url must be a jdbc:postgresql: URL, was " + url);
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("db.pool.size must be 1..200, was " + poolSize);
        }
        positive(connectionTimeout, "db.pool.timeout");
    }

    /** Settings with {@link Bounds#defaults()}: for a database opened without a service's configuration (tests). */
    public DatabaseSettings(String url, String user, String password, int poolSize, Duration connectionTimeout) {
        this(url, user, password, poolSize, connectionTimeout, Bounds.defaults());
    }

    public static DatabaseSettings from(Config db) {
        return new DatabaseSettings(
                db.get("url").asString().get(),
                db.get("user").asString().get(),
                db.get("password").asString().orElse(""),
                db.get("pool.size").asInt().get(),
                db.get("pool.timeout").as(Duration.class).get(),
                new Bounds(
                        db.get("statement-timeout").as(Duration.class).get(),
                        db.get("lock-timeout").as(Duration.class).get(),
                        db.get("idle-in-transaction-timeout").as(Duration.class).get(),
                        db.get("socket-timeout").as(Duration.class).get(),
                        db.get("connect-timeout").as(Duration.class).get(),
                        db.get("pool.keepalive").as(Duration.class).get()));
    }

    /** The database name, for span attributes. */
    public String databaseName() {
        String path = url.substring(url.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /**
     * How long a database call may take, so that a locked table, a frozen or unreachable PostgreSQL turns into a
     * fast error (answered 503) instead of requests piling up on the pool. Keys under {@code db} (environment
     * {@code DB_STATEMENT_TIMEOUT}, ...), each in every service's application.yaml, chosen for short OLTP
     * statements:
     *
     * @param statementTimeout         PostgreSQL cancels a statement running longer ({@code statement-timeout},
     *                                 PT5S)
     * @param lockTimeout              PostgreSQL gives up waiting for a row or table lock ({@code lock-timeout},
     *                                 PT2S): a locked table fails fast rather than at the statement timeout
     * @param idleInTransactionTimeout PostgreSQL ends a session idle inside a transaction, releasing its locks
     *                                 ({@code idle-in-transaction-timeout}, PT60S)
     * @param socketTimeout            PgJDBC gives up reading a reply ({@code socket-timeout}, PT10S): a frozen
     *                                 server or a dead network path; above the statement timeout, so that a slow
     *                                 statement is cancelled by the server first
     * @param connectTimeout           PgJDBC gives up opening a connection ({@code connect-timeout}, PT5S)
     * @param keepalive                HikariCP tests an idle pooled connection this often ({@code pool.keepalive},
     *                                 PT30S, its minimum), so that connections a restart or a firewall killed are
     *                                 replaced before a request takes them
     */
    public record Bounds(Duration statementTimeout, Duration lockTimeout, Duration idleInTransactionTimeout,
                         Duration socketTimeout, Duration connectTimeout, Duration keepalive) {
        public Bounds {
            positive(statementTimeout, "db.statement-timeout");
            positive(lockTimeout, "db.lock-timeout");
            positive(idleInTransactionTimeout, "db.idle-in-transaction-timeout");
            positive(socketTimeout, "db.socket-timeout");
            positive(connectTimeout, "db.connect-timeout");
            if (keepalive == null || keepalive.compareTo(Duration.ofSeconds(30)) < 0) {
                throw new IllegalArgumentException("db.pool.keepalive must be at least PT30S (HikariCP), was " + keepalive);
            }
            if (socketTimeout.toSeconds() < 1 || connectTimeout.toSeconds() < 1) {
                throw new IllegalArgumentException("db.socket-timeout and db.connect-timeout are whole seconds (PgJDBC)");
            }
        }

        /** The values every service's application.yaml has, for a database opened without one (tests). */
        public static Bounds defaults() {
            return new Bounds(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60),
                    Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
        }

        /** PgJDBC's {@code options}: the server-side timeouts, set on every session the pool opens. */
        String sessionOptions() {
            return "-c statement_timeout=" + statementTimeout.toMillis() + " -c lock_timeout=" + lockTimeout.toMillis()
                    + " -c idle_in_transaction_session_timeout=" + idleInTransactionTimeout.toMillis();
        }
    }

    private static void positive(Duration value, String key) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }
}
