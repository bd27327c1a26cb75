package dev.bazaar.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * A throwaway PostgreSQL database, created on a real server and dropped on {@link #close()}.
 * <p>
 * The server is reached over TCP with a password (never trust authentication):
 * {@code BAZAAR_TEST_DB_ADMIN_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}),
 * {@code BAZAAR_TEST_DB_USER} and {@code BAZAAR_TEST_DB_PASSWORD} (default {@code bazaar}/{@code bazaar}, the
 * local development role, which needs {@code CREATEDB}; {@code make test} creates it).
 */
public final class TestDatabase implements AutoCloseable {
    private static final String ADMIN_URL = env("BAZAAR_TEST_DB_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = env("BAZAAR_TEST_DB_USER", "bazaar");
    private static final String PASSWORD = env("BAZAAR_TEST_DB_PASSWORD", "bazaar");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Creates an empty database named {@code bazaar_test_<label>_<random>}. */
    public static TestDatabase create(String label) {
        String name = ("bazaar_test_" + label + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("CREATE DATABASE " + name);
        return new TestDatabase(name);
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database on the same server as the admin URL. */
    public String url() {
        int slash = ADMIN_URL.lastIndexOf('/');
        int query = ADMIN_URL.indexOf('?', slash);
        return ADMIN_URL.substring(0, slash + 1) + name + (query < 0 ? "" : ADMIN_URL.substring(query));
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A new JDBC connection to this database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
             var statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + ADMIN_URL + " as " + USER + " refused: " + e.getMessage()
                    + " (run `make test` once, or create the role: see README)", e);
        }
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
