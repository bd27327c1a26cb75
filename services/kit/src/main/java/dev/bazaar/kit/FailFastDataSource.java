package dev.bazaar.kit;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The pool as every database call of a service sees it: once a wait for a connection has timed out
 * ({@code db.pool.timeout}: PostgreSQL stopped, frozen or unreachable, or the pool saturated), one caller at a time
 * waits for the next connection (the probe) and the others fail at once with the same
 * {@link SQLTransientConnectionException} (answered 503), until a probe gets one. Without it every request of an
 * outage waited the whole timeout, and with dozens waiting on two busy cores the waits themselves grew (scenario e:
 * 29 waiters per instance, 503s after 4-9 s). Readiness asks the pool itself, not this.
 */
final class FailFastDataSource implements DataSource {
    private final DataSource pool;
    private volatile boolean failing;
    private final AtomicBoolean probing = new AtomicBoolean();

    FailFastDataSource(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!failing) {
            return await();
        }
        if (!probing.compareAndSet(false, true)) {
            throw new SQLTransientConnectionException("database unavailable: no pooled connection in time, and "
                    + "another request is already waiting for one", "08001");
        }
        try {
            return await();
        } finally {
            probing.set(false);
        }
    }

    private Connection await() throws SQLException {
        try {
            Connection connection = pool.getConnection();
            failing = false;
            return connection;
        } catch (SQLTransientConnectionException e) {
            failing = true;
            throw e;
        }
    }

    /** True while calls fail fast (after a wait that timed out, until a connection came). */
    boolean failing() {
        return failing;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
