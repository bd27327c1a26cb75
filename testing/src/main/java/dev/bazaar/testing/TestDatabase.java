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
 * local development role, which needs {@code CREATEDB}; {@code make test} creates it). {@link TestPostgres} makes them on
 * a server of a test's own.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String ADMIN_URL = env("BAZAAR_TEST_DB_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = env("BAZAAR_TEST_DB_USER", "bazaar");
    private static final String PASSWORD = env("BAZAAR_TEST_DB_PASSWORD", "bazaar");

    private final String name;
    private final String adminUrl;
    private final String user;
    private final String password;

    private TestDatabase(String name, String adminUrl, String user, String password) {
        this.name = name;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    /** Creates an empty database named {@code bazaar_test_<label>_<random>} on the shared test server. */
    public static TestDatabase create(String label) {
        return create(label, ADMIN_URL, USER, PASSWORD);
    }

    /** The same on the server of {@code adminUrl}, as {@code user} (who may create databases). */
    static TestDatabase create(String label, String adminUrl, String user, String password) {
        String name = ("bazaar_test_" + label + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        TestDatabase database = new TestDatabase(name, adminUrl, user, password);
        database.execute("CREATE DATABASE " + name);
        return database;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database on the same server as the admin URL. */
    public String url() {
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new JDBC connection to this database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user, password);
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             var statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + adminUrl + " as " + user + " refused: " + e.getMessage()
                    + " (run `make test` once, or create the role: see README)", e);
        }
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
