package dev.bazaar.system;

import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.ServiceFixture;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestNatsCluster;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.helidon.config.Config;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Services started together as in production: a nats-server (or a three-node cluster, {@link #onCluster}) with the
 * project's real users and permissions (config/nats/auth.conf, each service connecting as itself), a token issuer,
 * and a throwaway database per service. Starting a service again starts another instance of it, on the same
 * database. Closing it stops everything in reverse start order.
 */
final class SystemUnderTest implements AutoCloseable {
    final TestTokens tokens;
    /** The nats-server; null on a cluster. */
    final TestNatsServer nats;
    /** The cluster; null on one nats-server. */
    final TestNatsCluster cluster;
    private final String natsServers;
    private final Map<String, String> clusterConfig;
    private final String label;
    private final Map<String, TestDatabase> databases = new HashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private SystemUnderTest(String label, boolean clustered) {
        this.label = label;
        this.tokens = TestTokens.start();
        started.push(tokens);
        if (clustered) {
            this.nats = null;
            this.cluster = TestNatsCluster.start(ProjectNatsAuth.configLines());
            started.push(cluster);
            this.natsServers = cluster.urls();
            this.clusterConfig = Map.of("events.replicas", "3");
        } else {
            this.nats = TestNatsServer.start(ProjectNatsAuth.configLines());
            this.cluster = null;
            started.push(nats);
            this.natsServers = nats.url();
            this.clusterConfig = Map.of();
        }
    }

    /** The shared infrastructure on one nats-server; {@code label} names the test databases. */
    static SystemUnderTest start(String label) {
        return new SystemUnderTest(label, false);
    }

    /**
     * The shared infrastructure on a three-node NATS cluster: services connect with all three URLs and create their
     * streams with 3 replicas ({@code events.replicas}), as {@code make run CLUSTER=1} runs them.
     */
    static SystemUnderTest onCluster(String label) {
        return new SystemUnderTest(label, true);
    }

    /** Starts an instance of a service with its NATS user and its database, its spans going to {@code spans}. */
    RunningApp start(String service, BiFunction<Config, Telemetry, RunningApp> main, SpanExporter spans) {
        return start(service, main, spans, Map.of());
    }

    /**
     * Starts an instance of a service as {@link #start(String, BiFunction, SpanExporter)} does, with {@code extra}
     * configuration on top. The first instance of a service creates its database; the next share it.
     */
    RunningApp start(String service, BiFunction<Config, Telemetry, RunningApp> main, SpanExporter spans,
                     Map<String, String> extra) {
        TestDatabase db = databases.computeIfAbsent(service, name -> {
            TestDatabase created = TestDatabase.create(label + "_" + name);
            started.push(created);
            return created;
        });
        Map<String, String> values = new HashMap<>(tokens.config());
        values.put("outbox.poll-interval", "PT0.1S");
        values.putAll(ProjectNatsAuth.serviceConfig(service));
        values.putAll(clusterConfig);
        values.putAll(extra);
        RunningApp app = main.apply(ServiceFixture.config(mainClass(service), natsServers, db, values),
                Telemetry.forTests(service, spans));
        started.push(app);
        return app;
    }

    /** The {@code Main} of {@code service}, beside which its {@code application.yaml} is. */
    private static Class<?> mainClass(String service) {
        try {
            return Class.forName("dev.bazaar." + service + ".Main");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no service " + service, e);
        }
    }

    /** The database of {@code service}, shared by its instances. */
    TestDatabase database(String service) {
        TestDatabase db = databases.get(service);
        if (db == null) {
            throw new IllegalStateException(service + " was not started");
        }
        return db;
    }

    @Override
    public void close() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }
}
