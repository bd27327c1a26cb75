package dev.bazaar.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * {@code make load} and {@code make bench}'s load: a scenario against a running system on this machine, as an open
 * loop at a constant arrival rate (latency from each operation's due time: coordinated omission corrected) or a
 * closed loop for peak throughput. Prints progress each second and, at the end, throughput, latency percentiles and
 * outcomes per operation; {@code --json FILE} writes the same as JSON.
 * <p>
 * Options: {@code --scenario mix|get-product|post-order|saga --rate 50 | --connections N --duration 30s --warmup 0s
 * --users 10 --max-in-flight 256 --timeout 5s --observe sse|poll --bench-products 0 --json FILE --mark-measured FILE
 * --catalog URL --orders URL --identity URL --notifications URL --admin-client id:secret}. See tools/loadgen/README.md.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings;
        try {
            settings = LoadSettings.parse(args);
            if (settings.closedLoop() && settings.scenario() == LoadSettings.Scenario.SAGA) {
                throw new IllegalArgumentException("the saga scenario is an open loop: give --rate, not --connections");
            }
        } catch (RuntimeException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(settings, System.out));
    }

    /** Runs one load; the exit status: 0, or 1 when the system could not be prepared. */
    static int run(LoadSettings settings, PrintStream out) throws IOException, InterruptedException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
             SagaWatcher saga = new SagaWatcher(settings, http)) {
            List<String> products;
            try {
                products = Products.load(http, settings, mapper);
            } catch (IOException e) {
                out.println("loadgen: cannot prepare the products: " + e.getMessage());
                return 1;
            }
            if (products.isEmpty()) {
                out.println("loadgen: no products at " + settings.catalog() + "/products: is the system running"
                        + " (make run)?");
                return 1;
            }
            Identity identity = new Identity(http, settings.identity(), mapper, settings.timeout());
            identity.prepare(settings.users());
            if (identity.ready()) {
                out.printf("identity: %d users registered and logged in; orders carry their tokens%n",
                        settings.users());
            } else {
                out.printf("identity: %s -> logins SKIPPED, orders sent WITHOUT a bearer token%n",
                        identity.unavailable());
            }
            if (settings.scenario() == LoadSettings.Scenario.SAGA) {
                saga.open(identity.tokens());
            }
            out.printf("load: %s, %s for %s (warm-up %s) against catalog %s, orders %s (%d products)%n",
                    settings.scenario().name().toLowerCase(java.util.Locale.ROOT),
                    settings.closedLoop() ? settings.connections() + " connections, closed loop"
                            : settings.rate() + " ops/s, open loop", settings.duration(), settings.warmup(),
                    settings.catalog(), settings.orders(), products.size());
            Traffic traffic = new Traffic(settings, http, identity, products, saga);
            Results results = new Driver(settings, traffic, out).run();
            Report.text(results, settings, identity, out);
            if (settings.json() != null) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("finished_at", Instant.now().toString());
                json.put("settings", Report.settings(settings));
                json.putAll(results.toJson());
                Files.writeString(settings.json(), mapper.writeValueAsString(json));
            }
            return 0;
        }
    }
}
