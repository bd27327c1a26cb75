package dev.bazaar.system;

import dev.bazaar.kit.DeclaredRoute;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.TestTokens;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests against every route of every service, started together (the routes each serves, {@code
 * RunningApp.routes()}: a new route is fuzzed without a change here): a bounded, seeded generator
 * ({@link FuzzRequests}) of random bytes, wrong types, deep nesting, huge numbers, unicode, long strings, bad headers,
 * bad methods and bad tokens, sent as raw HTTP/1.1. Whatever it sends, no answer is a 5xx and no log line is SEVERE.
 * The count per status is printed; {@code -Dfuzz.seed=} and {@code -Dfuzz.requests=} replay or widen a run.
 */
class FuzzIT {
    static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    static final int PARALLEL = 8;
    static SystemUnderTest system;
    static final List<LogRecord> SEVERE = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                SEVERE.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    static final Map<String, RunningApp> SERVICES = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        system = SystemUnderTest.start("fuzz");
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        RunningApp identity = system.start("identity", dev.bazaar.identity.Main::start, spans, Map.of(
                "identity.issuer", "http://identity.fuzz",
                // cheap hashing: the fuzzer measures answers, not Argon2
                "identity.password.memory-kib", "64", "identity.password.iterations", "1",
                "identity.bootstrap-admin.email", "admin@fuzz.test",
                "identity.bootstrap-admin.password", "quiet-lantern-orbit-7731",
                "identity.clients.0.id", "fuzz-cli", "identity.clients.0.secret", "fuzz-cli-secret",
                "identity.clients.0.roles", "admin", "identity.clients.0.scopes", "catalog admin"));
        RunningApp catalog = system.start("catalog", dev.bazaar.catalog.Main::start, spans);
        RunningApp orders = system.start("orders", dev.bazaar.orders.Main::start, spans);
        RunningApp payments = system.start("payments", dev.bazaar.payments.Main::start, spans);
        RunningApp notifications = system.start("notifications", dev.bazaar.notifications.Main::start, spans);
        for (RunningApp app : List.of(identity, catalog, orders, payments, notifications)) {
            SERVICES.put(app.name(), app);
        }
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        if (system != null) {
            system.close();
        }
    }

    @Test
    void noMalformedRequestIsA5xxOrASevereLogLine() throws Exception {
        TestTokens tokens = system.tokens;
        Map<String, List<DeclaredRoute>> served = new LinkedHashMap<>();
        SERVICES.forEach((name, app) -> served.put(name, app.routes()));
        FuzzRequests generator = new FuzzRequests(SEED, served, tokens.customer("fuzz-customer"),
                tokens.admin("fuzz-admin"));
        assertThat(generator.routes()).as("every served route, and an unknown path per service")
                .isEqualTo(served.values().stream().mapToInt(List::size).sum() + SERVICES.size());
        List<FuzzRequests.Request> requests = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(generator.next());
        }
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> serverErrors = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService workers = Executors.newFixedThreadPool(PARALLEL)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < PARALLEL; w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                        FuzzRequests.Request request = requests.get(i);
                        String status = RawHttp.send(SERVICES.get(request.service()).httpPort(), request.bytes());
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status.startsWith("5")) {
                            serverErrors.add(status + " #" + i + " " + request.service() + " " + request.summary());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Integer> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        System.out.println("FuzzIT: " + REQUESTS + " requests (seed " + SEED + ", " + generator.routes() + " routes) in " + millis + " ms, per status: "
                + counts);

        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        assertThat(serverErrors).as("5xx answers").isEmpty();
        assertThat(SEVERE).as("SEVERE log lines")
                .extracting(record -> record.getLoggerName() + ": " + record.getMessage()).isEmpty();
    }
}
