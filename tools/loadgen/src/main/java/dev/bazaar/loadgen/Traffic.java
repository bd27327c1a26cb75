package dev.bazaar.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operations of each scenario ({@link LoadSettings.Scenario}). Every call records its latency from the moment it
 * was due (see {@link Schedule}) with its status, or its failure. Every POST carries its own
 * {@code Idempotency-Key}, as a client that may retry would send it.
 */
final class Traffic {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

    private final LoadSettings settings;
    private final HttpClient http;
    private final Identity identity;
    private final List<String> products;
    private final SagaWatcher saga;
    private final AtomicLong orderCount = new AtomicLong();

    Traffic(LoadSettings settings, HttpClient http, Identity identity, List<String> products, SagaWatcher saga) {
        this.settings = settings;
        this.http = http;
        this.identity = identity;
        this.products = products;
        this.saga = saga;
    }

    /** One operation of the scenario, due at {@code due}. */
    void run(long due, Results results) {
        switch (settings.scenario()) {
            case MIX -> mix(due, results);
            case GET_PRODUCT -> readProduct(due, results);
            case POST_ORDER -> placeOrder(due, results, false);
            case SAGA -> {
                String token = identity.anyToken().orElse(null);
                String id = placeOrder(due, results, false, token);
                if (id != null) {
                    saga.placed(id, due, token, results);
                }
            }
        }
    }

    /** After the measured phase: the saga orders still under way are waited for (bounded), the rest counted. */
    void finish(Results results) throws InterruptedException {
        if (settings.scenario() == LoadSettings.Scenario.SAGA) {
            saga.awaitPending(settings.timeout(), results);
        }
    }

    private void mix(long due, Results results) {
        double pick = ThreadLocalRandom.current().nextDouble();
        if (pick < 0.70) {
            readProduct(due, results);
        } else if (pick < 0.90) {
            placeOrder(due, results, orderCount.incrementAndGet() % 10 == 0);
        } else if (pick < 0.95) {
            if (!identity.ready()) {
                results.skipped.increment();
                return;
            }
            call(results, "login", due, identity.loginRequest(identity.anyUser()), status -> status == 200);
        } else if (ThreadLocalRandom.current().nextBoolean()) {
            call(results, "bad request", due, post(settings.orders().resolve("/orders"), "{\"items\": [",
                    identity.anyToken().orElse(null)), status -> status == 400 || status == 401);
        } else {
            call(results, "bad request", due, get(settings.catalog().resolve("/products/" + UUID.randomUUID())),
                    status -> status == 404);
        }
    }

    private void readProduct(long due, Results results) {
        call(results, "read product", due, get(settings.catalog().resolve("/products/" + anyProduct())),
                status -> status == 200);
    }

    private void placeOrder(long due, Results results, boolean declined) {
        placeOrder(due, results, declined, identity.anyToken().orElse(null));
    }

    /** Places one order; its id when it was placed (201), else null. */
    private String placeOrder(long due, Results results, boolean declined, String token) {
        String body = "{\"items\":[{\"productId\":\"" + anyProduct() + "\",\"quantity\":1}],\"paymentToken\":\""
                + (declined ? "tok_declined" : "tok_visa") + "\"}";
        HttpRequest request = post(settings.orders().resolve("/orders"), body, token);
        // 201 placed; 409 out of stock is a correct answer under load, not an error of the system.
        String answer = call(results, "place order", due, request, status -> status == 201 || status == 409);
        if (answer == null) {
            return null;
        }
        Matcher id = ID.matcher(answer);
        return id.find() ? id.group(1) : null;
    }

    private String anyProduct() {
        return products.get(ThreadLocalRandom.current().nextInt(products.size()));
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET().build();
    }

    /** A JSON POST with its own Idempotency-Key, and the bearer token if there is one. */
    private HttpRequest post(URI uri, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    /**
     * Sends, and records the latency from {@code due} with the status or failure. Returns the body of a 201 (an order
     * placed), else null.
     */
    private String call(Results results, String operation, long due, HttpRequest request, IntPredicate expected) {
        OperationStats stats = results.operation(operation);
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            stats.record(Schedule.latencyMicros(due, System.nanoTime()), Integer.toString(status),
                    !expected.test(status));
            return status == 201 ? response.body() : null;
        } catch (HttpTimeoutException e) {
            stats.record(Schedule.latencyMicros(due, System.nanoTime()), "timeout", true);
        } catch (IOException e) {
            stats.record(Schedule.latencyMicros(due, System.nanoTime()), "io-error", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stats.record(Schedule.latencyMicros(due, System.nanoTime()), "interrupted", true);
        }
        return null;
    }
}
