package dev.bazaar.kit;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Where a service's own database is and how large its pool may grow.
 * Keys under {@code db}: {@code url}, {@code user}, {@code password}, {@code pool.size}, {@code pool.timeout}
 * (environment: {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}, {@code DB_POOL_SIZE}, {@code DB_POOL_TIMEOUT}).
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectionTimeout) {
    public DatabaseSettings {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db.url must be a jdbc:postgresql: URL, was " + url);
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("db.pool.size must be 1..200, was " + poolSize);
        }
    }

    public static DatabaseSettings from(Config db) {
        return new DatabaseSettings(
                db.get("url").asString().get(),
                db.get("user").asString().get(),
                db.get("password").asString().orElse(""),
                db.get("pool.size").asInt().orElse(10),
                db.get("pool.timeout").as(Duration.class).orElse(Duration.ofSeconds(2)));
    }

    /** The database name, for span attributes. */
    public String databaseName() {
        String path = url.substring(url.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
