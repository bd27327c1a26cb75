package dev.bazaar.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsCluster;
import dev.bazaar.testing.TestPostgres;
import dev.bazaar.testing.TestTokens;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The system under fault, as production runs it: a three-node nats-server cluster on loopback (the project's users
 * and permissions, streams at 3 replicas), a PostgreSQL server of its own ({@link TestPostgres}: scenario e restarts
 * and freezes it) with a database per service, and every service as its own JVM process: catalog, two orders, two
 * payments, notifications. Identity is not started: {@link TestTokens} signs the
 * tokens and serves the JWKS the services trust (identity's own failures are not what this harness probes).
 */
final class Harness implements AutoCloseable {
    /** Instances per service. */
    static final Map<String, Integer> TOPOLOGY = topology();
    static final int PRODUCTS = 4;
    static final int INITIAL_STOCK = 1_000_000;

    final TestNatsCluster cluster;
    final TestTokens tokens;
    final TestPostgres postgres;
    private final Map<String, TestDatabase> databases = new LinkedHashMap<>();
    private final Map<String, List<ServiceProcess>> instances = new LinkedHashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** Product id to its stock when created. */
    final Map<String, Integer> initialStock = new LinkedHashMap<>();
    /** Per product, how far stock is off (current − expected) after the scenarios so far: their damage, carried. */
    final Map<String, Long> stockErrors = new HashMap<>();
    /** Confirmed orders whose hold was released, found by the scenarios so far. */
    final Set<String> soldNotHeld = new HashSet<>();
    private volatile String customerToken;
    private volatile long customerTokenAt;

    private Harness() {
        tokens = TestTokens.start();
        started.push(tokens);
        cluster = TestNatsCluster.start(ProjectNatsAuth.configLines());
        started.push(cluster);
        postgres = TestPostgres.start();
        started.push(postgres); // its databases go with it
    }

    /** Starts everything (the instances of a service in parallel) and creates the products the load orders. */
    static Harness start() {
        Harness harness = new Harness();
        try {
            harness.startServices();
            harness.createProducts();
            return harness;
        } catch (RuntimeException | Error e) {
            harness.close();
            throw e;
        }
    }

    private void startServices() {
        for (var entry : TOPOLOGY.entrySet()) {
            String service = entry.getKey();
            TestDatabase db = postgres.createDatabase("faults_" + service);
            databases.put(service, db);
            List<ServiceProcess> list = new ArrayList<>();
            for (int i = 1; i <= entry.getValue(); i++) {
                ServiceProcess process = new ServiceProcess(i == 1 ? service : service + "-" + i, service,
                        config(service, db), Map.of());
                list.add(process);
                started.push(process);
            }
            instances.put(service, list);
        }
        // Catalog first (orders asks it for stock), then the first instance of every other service at once, then the
        // second ones: two instances migrating one empty database at the same moment race in Flyway (the second fails
        // "Unable to baseline schema history table ... as it already exists, and is empty").
        instances.get("catalog").forEach(p -> p.start().awaitReady());
        for (int index = 0; index < 2; index++) {
            int i = index;
            List<ServiceProcess> wave = instances.values().stream().filter(list -> list.size() > i)
                    .map(list -> list.get(i)).filter(p -> !p.service.equals("catalog")).toList();
            wave.forEach(ServiceProcess::start);
            awaitAll(wave);
        }
    }

    private Map<String, String> config(String service, TestDatabase db) {
        Map<String, String> config = new LinkedHashMap<>(tokens.config());
        config.putAll(ProjectNatsAuth.serviceConfig(service));
        config.put("nats.servers", cluster.urls());
        config.put("events.replicas", "3");
        config.put("db.url", db.url());
        config.put("db.user", db.user());
        config.put("db.password", db.password());
        config.put("db.pool.size", "6"); // six JVMs on two cores: more connections would only queue in PostgreSQL
        config.put("outbox.poll-interval", "PT0.1S");
        config.put("catalog.reservations.sweep-interval", "PT1S");
        if (service.equals("catalog")) {
            // Fixed, so that a restart comes back on it; never the 9082 of make run.
            config.put("grpc.port", Integer.toString(ServiceProcess.freePort()));
        }
        return config;
    }

    /** Waits for the readiness of several processes at once. */
    static void awaitAll(List<ServiceProcess> processes) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ServiceProcess>> ready = processes.stream()
                    .map(p -> executor.submit(p::awaitReady)).toList();
            for (Future<ServiceProcess> future : ready) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void createProducts() {
        String admin = tokens.admin("faults-admin");
        for (int i = 0; i < PRODUCTS; i++) {
            HttpResponse<String> created = TestHttp.post(instance("catalog", 0).url("/products"),
                    "{\"sku\":\"FAULT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase()
                            + "\",\"name\":\"Fault mug " + i + "\",\"price\":{\"amount\":" + (100 + i)
                            + ",\"currency\":\"EUR\"},\"stock\":" + INITIAL_STOCK + "}", admin);
            if (created.statusCode() != 201) {
                throw new IllegalStateException("product not created: " + created.statusCode() + " " + created.body());
            }
            JsonNode body = TestHttp.json(created);
            initialStock.put(body.get("id").asText(), INITIAL_STOCK);
        }
    }

    List<ServiceProcess> instances(String service) {
        return instances.get(service);
    }

    ServiceProcess instance(String service, int index) {
        return instances.get(service).get(index);
    }

    List<ServiceProcess> all() {
        return instances.values().stream().flatMap(List::stream).toList();
    }

    TestDatabase database(String service) {
        return databases.get(service);
    }

    List<String> productIds() {
        return List.copyOf(initialStock.keySet());
    }

    /** A customer's token, minted again every minute (they live five). */
    String customerToken() {
        long now = System.currentTimeMillis();
        if (customerToken == null || now - customerTokenAt > 60_000) {
            customerToken = tokens.customer("faults-customer");
            customerTokenAt = now;
        }
        return customerToken;
    }

    /** The repository root (where {@code config/nats/auth.conf} is). */
    static Path root() {
        return ProjectNatsAuth.authFile().getParent().getParent().getParent();
    }

    private static Map<String, Integer> topology() {
        Map<String, Integer> topology = new LinkedHashMap<>();
        topology.put("catalog", 1);
        topology.put("orders", 2);
        topology.put("payments", 2);
        topology.put("notifications", 1);
        return topology;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("faults: closing failed: " + e);
            }
        }
    }
}
