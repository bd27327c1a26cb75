package dev.bazaar.loadgen;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * The open loop: operation {@code i} is due at {@code start + i / rate} whatever happened to earlier ones, and runs
 * on its own virtual thread. At most {@code maxInFlight} run at once; an operation due while that many are still
 * waiting is not sent and counted as {@code dropped} (the system is not keeping up).
 */
final class LoadRun {
    private final LoadSettings settings;
    private final HttpClient http;
    private final Identity identity;
    private final List<String> products;
    private final Map<String, OperationStats> stats = new LinkedHashMap<>();
    private final Semaphore inFlight;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final AtomicLong orderCount = new AtomicLong();
    private long elapsedNanos;

    LoadRun(LoadSettings settings, HttpClient http, Identity identity, List<String> products) {
        this.settings = settings;
        this.http = http;
        this.identity = identity;
        this.products = products;
        this.inFlight = new Semaphore(settings.maxInFlight());
        for (String name : List.of("read product", "place order", "login", "bad request")) {
            stats.put(name, new OperationStats(name));
        }
    }

    void execute() throws InterruptedException {
        long total = (long) settings.rate() * settings.duration().toSeconds();
        if (total == 0) {
            total = Math.max(1, settings.rate() * settings.duration().toMillis() / 1000);
        }
        long interval = 1_000_000_000L / settings.rate();
        long start = System.nanoTime();
        long nextProgress = start + 1_000_000_000L;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    if (now >= nextProgress) {
                        progress(now - start);
                        nextProgress += 1_000_000_000L;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 1_000_000L));
                }
                if (!inFlight.tryAcquire()) {
                    dropped.increment();
                    continue;
                }
                workers.execute(() -> {
                    try {
                        runOne(due);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            workers.shutdown();
            // Bounded in time: whatever is still waiting after the request timeout has timed out anyway.
            workers.awaitTermination(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            workers.shutdownNow();
        }
        elapsedNanos = System.nanoTime() - start;
    }

    private void runOne(long due) {
        double pick = ThreadLocalRandom.current().nextDouble();
        if (pick < 0.70) {
            String id = products.get(ThreadLocalRandom.current().nextInt(products.size()));
            call("read product", due, get(settings.catalog().resolve("/products/" + id)), status -> status == 200);
        } else if (pick < 0.90) {
            boolean declined = orderCount.incrementAndGet() % 10 == 0;
            String id = products.get(ThreadLocalRandom.current().nextInt(products.size()));
            String body = "{\"items\":[{\"productId\":\"" + id + "\",\"quantity\":1}],\"paymentToken\":\""
                    + (declined ? "tok_declined" : "tok_visa") + "\"}";
            // 201 placed; 409 out of stock is a correct answer under load, not an error of the system.
            call("place order", due, post(settings.orders().resolve("/orders"), body, true),
                    status -> status == 201 || status == 409);
        } else if (pick < 0.95) {
            if (!identity.ready()) {
                skipped.increment();
                return;
            }
            call("login", due, identity.loginRequest(identity.anyUser()), status -> status == 200);
        } else if (ThreadLocalRandom.current().nextBoolean()) {
            call("bad request", due, post(settings.orders().resolve("/orders"), "{\"items\": [", true),
                    status -> status == 400 || status == 401);
        } else {
            call("bad request", due, get(settings.catalog().resolve("/products/" + UUID.randomUUID())),
                    status -> status == 404);
        }
    }

    private HttpRequest get(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET().build();
    }

    private HttpRequest post(java.net.URI uri, String json, boolean withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (withToken) {
            identity.anyToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        }
        return request.build();
    }

    /** Sends, and records latency from the moment the operation was due, with its status or failure. */
    private void call(String operation, long due, HttpRequest request, IntPredicate expected) {
        OperationStats operationStats = stats.get(operation);
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            operationStats.record(micros(due), Integer.toString(status), !expected.test(status));
        } catch (HttpTimeoutException e) {
            operationStats.record(micros(due), "timeout", true);
        } catch (java.io.IOException e) {
            operationStats.record(micros(due), "io-error", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            operationStats.record(micros(due), "interrupted", true);
        }
    }

    private static long micros(long due) {
        return (System.nanoTime() - due) / 1_000;
    }

    private void progress(long elapsed) {
        long done = 0;
        long errors = 0;
        for (OperationStats s : stats.values()) {
            done += s.count();
            errors += s.errors();
        }
        System.out.printf("  %3ds  done %6d  errors %5d  in flight %4d  dropped %5d  reads p99 %7.1f ms%n",
                elapsed / 1_000_000_000L, done, errors, settings.maxInFlight() - inFlight.availablePermits(),
                dropped.sum(), stats.get("read product").percentileMillis(99));
    }

    void report(PrintStream out) {
        double seconds = elapsedNanos / 1e9;
        long done = 0;
        long errors = 0;
        out.printf("%n%-13s %7s %8s %7s %8s %8s %8s %8s  %s%n", "OPERATION", "COUNT", "RATE/s", "ERRORS",
                "p50 ms", "p90 ms", "p99 ms", "max ms", "OUTCOMES");
        for (OperationStats s : stats.values()) {
            done += s.count();
            errors += s.errors();
            out.printf("%-13s %7d %8.1f %7d %8.1f %8.1f %8.1f %8.1f  %s%n", s.name, s.count(), s.count() / seconds,
                    s.errors(), s.percentileMillis(50), s.percentileMillis(90), s.percentileMillis(99), s.maxMillis(),
                    s.outcomes());
        }
        out.printf("%ntotal: %d operations in %.1f s = %.1f/s, %d errors, %d dropped (more than %d in flight),"
                        + " %d logins skipped%s%n", done, seconds, done / seconds, errors, dropped.sum(),
                settings.maxInFlight(), skipped.sum(), identity.ready() ? "" : " (" + identity.unavailable() + ")");
    }
}
