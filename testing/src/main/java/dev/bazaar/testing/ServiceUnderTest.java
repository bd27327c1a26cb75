package dev.bazaar.testing;

import io.helidon.config.Config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a service IT starts its service on: a test nats-server, a throwaway database, and (unless the service issues its
 * own tokens) a test token issuer whose JWKS the service trusts. Instances of the service ({@link #start}) and anything
 * else the test opens ({@link #add}) are closed with it, in reverse order, then the infrastructure.
 */
public final class ServiceUnderTest implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceUnderTest.class.getName());
    /** The token issuer; null for a service that issues its own ({@link #withoutTokens}). */
    public final TestTokens tokens;
    public final TestNatsServer nats;
    public final TestDatabase db;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final Class<?> main;

    private ServiceUnderTest(Class<?> main, String label, boolean tokens, List<String> natsConfigLines) {
        this.main = main;
        this.tokens = tokens ? add(TestTokens.start()) : null;
        this.nats = add(TestNatsServer.start(natsConfigLines));
        this.db = add(TestDatabase.create(label));
    }

    /** The infrastructure for the service whose {@code Main} is {@code main}; {@code label} names the database. */
    public static ServiceUnderTest create(Class<?> main, String label) {
        return new ServiceUnderTest(main, label, true, List.of());
    }

    /** The same on a nats-server with {@code natsConfigLines} (e.g. {@link ProjectNatsAuth#configLines()}). */
    public static ServiceUnderTest create(Class<?> main, String label, List<String> natsConfigLines) {
        return new ServiceUnderTest(main, label, true, natsConfigLines);
    }

    /** The infrastructure without a token issuer, for identity, which issues and checks its own. */
    public static ServiceUnderTest withoutTokens(Class<?> main, String label) {
        return new ServiceUnderTest(main, label, false, List.of());
    }

    /** The service's configuration on this infrastructure (see {@link ServiceFixture}), {@code extra} on top. */
    public Config config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(tokens == null ? Map.of() : tokens.config());
        values.putAll(extra);
        return ServiceFixture.config(main, nats, db, values);
    }

    /** Starts an instance of the service ({@code main}: its {@code Main.start}) with {@link #config}; closed with this. */
    public <T extends AutoCloseable> T start(Function<Config, T> main, Map<String, String> extra) {
        return add(main.apply(config(extra)));
    }

    /** Closes {@code resource} with this, before whatever was added earlier. */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + resource + " failed", e);
            }
        }
    }
}
