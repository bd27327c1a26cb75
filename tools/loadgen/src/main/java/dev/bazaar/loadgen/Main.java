package dev.bazaar.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * {@code make load}: an open-loop mix against a running system on this machine, per second {@code --rate}
 * operations: 70% product reads, 20% orders (one in ten declined), 5% logins, 5% bad requests. Prints progress each
 * second and, at the end, throughput, latency percentiles and outcomes per operation.
 * <p>
 * Options: {@code --rate 50 --duration 30s --users 10 --max-in-flight N --timeout 5s --catalog URL --orders URL
 * --identity URL}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings;
        try {
            settings = LoadSettings.parse(args);
        } catch (RuntimeException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            List<String> products = products(http, settings, mapper);
            if (products.isEmpty()) {
                System.err.println("loadgen: no products at " + settings.catalog() + "/products: is the system running"
                        + " (make run)?");
                System.exit(1);
            }
            Identity identity = new Identity(http, settings.identity(), mapper, settings.timeout());
            identity.prepare(settings.users());
            if (identity.ready()) {
                System.out.printf("identity: %d users registered and logged in; orders carry their tokens%n",
                        settings.users());
            } else {
                System.out.printf("identity: %s -> logins SKIPPED, orders sent WITHOUT a bearer token%n",
                        identity.unavailable());
            }
            System.out.printf("load: %d ops/s for %s against catalog %s, orders %s (%d products)%n",
                    settings.rate(), settings.duration(), settings.catalog(), settings.orders(), products.size());
            LoadRun run = new LoadRun(settings, http, identity, products);
            run.execute();
            run.report(System.out);
        }
    }

    private static List<String> products(HttpClient http, LoadSettings settings, ObjectMapper mapper) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.catalog().resolve("/products"))
                    .timeout(settings.timeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            List<String> ids = new ArrayList<>();
            if (response.statusCode() == 200) {
                for (JsonNode product : mapper.readTree(response.body()).path("products")) {
                    ids.add(product.path("id").asText());
                }
            }
            return ids;
        } catch (java.io.IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
