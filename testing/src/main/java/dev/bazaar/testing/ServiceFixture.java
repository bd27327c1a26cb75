package dev.bazaar.testing;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;

/**
 * Configuration for a service under test: its own throwaway database, the test nats-server (or cluster), ephemeral
 * ports, plus any extra keys, over the service's own {@code application.yaml} (its defaults, kept there only) and the
 * kit's {@code limits.yaml}. The {@code application.yaml} is read from the jar or classes directory of the service's
 * {@code Main}: several services share one test classpath in system-tests, where the resource name alone would find
 * whichever comes first.
 */
public final class ServiceFixture {
    private ServiceFixture() {
    }

    public static Config config(Class<?> main, TestNatsServer nats, TestDatabase db, Map<String, String> extra) {
        return config(main, nats.url(), db, extra);
    }

    /** The same against {@code natsServers}: comma-separated URLs, e.g. {@link TestNatsCluster#urls()}. */
    public static Config config(Class<?> main, String natsServers, TestDatabase db, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("grpc.port", "0"); // catalog's second listener; ignored by the others
        values.put("db.url", db.url());
        values.put("db.user", db.user());
        values.put("db.password", db.password());
        values.put("db.pool.size", "4");
        values.put("nats.servers", natsServers);
        values.put("shutdown.readiness-delay", "PT0S"); // tests stop services often; ShutdownIT sets its own
        values.putAll(extra);
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(values))
                .addSource(ConfigSources.url(applicationYaml(main)))
                .addSource(ConfigSources.classpath("limits.yaml").optional())
                .build();
    }

    /** The {@code application.yaml} beside {@code main}'s classes (in its jar, or its classes directory). */
    static URL applicationYaml(Class<?> main) {
        URL location = main.getProtectionDomain().getCodeSource().getLocation();
        try {
            String where = location.toString();
            return where.endsWith(".jar")
                    ? URI.create("jar:" + where + "!/application.yaml").toURL()
                    : URI.create(where.endsWith("/") ? where : where + "/").resolve("application.yaml").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("no application.yaml beside " + main + " at " + location, e);
        }
    }
}
