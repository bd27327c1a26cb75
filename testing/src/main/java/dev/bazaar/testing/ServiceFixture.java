package dev.bazaar.testing;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.util.HashMap;
import java.util.Map;

/**
 * Configuration for a service under test: its own throwaway database, the test nats-server (or cluster), an
 * ephemeral HTTP port, plus any extra keys. Built from a map only (several services share one test classpath, so their
 * {@code application.yaml} files would shadow each other).
 */
public final class ServiceFixture {
    private ServiceFixture() {
    }

    public static Config config(TestNatsServer nats, TestDatabase db, Map<String, String> extra) {
        return config(nats.url(), db, extra);
    }

    /** The same against {@code natsServers}: comma-separated URLs, e.g. {@link TestNatsCluster#urls()}. */
    public static Config config(String natsServers, TestDatabase db, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("db.url", db.url());
        values.put("db.user", db.user());
        values.put("db.password", db.password());
        values.put("db.pool.size", "4");
        values.put("nats.servers", natsServers);
        values.put("shutdown.readiness-delay", "PT0S"); // tests stop services often; ShutdownIT sets its own
        values.putAll(extra);
        // The kit's limits.yaml (limits several services share) under the map, as a service's own config has it.
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(values))
                .addSource(ConfigSources.classpath("limits.yaml").optional())
                .build();
    }
}
