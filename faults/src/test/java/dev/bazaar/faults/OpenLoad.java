package dev.bazaar.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Open-loop {@code POST /orders} at a constant arrival rate: order {@code i} is due at {@code start + i / rate}
 * whatever happened to the earlier ones, each on its own virtual thread, and its latency counts from when it was due
 * (coordinated omission corrected), into an HdrHistogram. Every order carries its own {@code Idempotency-Key}; a
 * request that got no answer (refused, reset, timed out) is sent again with the same key to the next orders instance,
 * as a client behind a load balancer would. {@code tools/loadgen} has the same open loop for a traffic mix; this one
 * keeps every acknowledged order id, which the set checker needs.
 */
final class OpenLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int ATTEMPTS = 3;
    private static final int MAX_IN_FLIGHT = 2_000;
    static final Duration SLOW = Duration.ofMillis(250);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ServiceProcess> orders;
    private final List<String> products;
    private final Supplier<String> token;
    /** Acknowledged (201, or 200 for a replayed key): order id to its Idempotency-Key. */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** Final answer of each order (status code, or timeout / io-error) to how many. */
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    final Histogram latencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    /** Per final answer (status code), the longest single attempt that got it: how fast a 503 came. */
    final Map<String, LongAccumulator> slowestAttemptMillis = new ConcurrentHashMap<>();
    /** When each 5xx came, in seconds since the load started: tells a fault's errors from the machine's. */
    final java.util.Queue<Double> serverErrorAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** When each order slower than {@link #SLOW} was due, in seconds since the load started: a tail's cause. */
    final java.util.Queue<Double> slowDueAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final LongAdder retries = new LongAdder();
    final LongAdder dropped = new LongAdder();
    private final AtomicLong next = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile Thread driver;
    private volatile long stopAt;
    private volatile long sent;
    private volatile long startedAt;

    OpenLoad(List<ServiceProcess> orders, List<String> products, Supplier<String> token) {
        this.orders = orders;
        this.products = products;
        this.token = token;
    }

    /** Starts sending {@code rate} orders a second for {@code duration} in the background. */
    OpenLoad start(int rate, Duration duration) {
        startedAt = System.nanoTime();
        stopAt = startedAt + duration.toNanos();
        driver = Thread.ofPlatform().name("open-load").start(() -> run(rate));
        return this;
    }

    /** Starts sending {@code rate} orders a second in the background until {@link #stop()}. */
    OpenLoad start(int rate) {
        return start(rate, Duration.ofHours(1));
    }

    /** No order is due after now; {@link #awaitEnd()} waits for the answers. */
    OpenLoad stop() {
        stopAt = System.nanoTime();
        return this;
    }

    /** Waits until every order is sent and answered (or given up on). */
    OpenLoad awaitEnd() {
        try {
            driver.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    private void run(int rate) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; ; i++) {
                long due = start + i * interval;
                if (due >= stopAt) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sent++;
                if (!inFlight.tryAcquire()) {
                    dropped.increment();
                    continue;
                }
                workers.execute(() -> {
                    try {
                        placeOne(due);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void placeOne(long due) {
        long n = next.getAndIncrement();
        String key = UUID.randomUUID().toString();
        String product = products.get((int) (n % products.size()));
        int quantity = 1 + ThreadLocalRandom.current().nextInt(3);
        String body = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity
                + "}],\"paymentToken\":\"" + (n % 10 == 9 ? "tok_declined" : "tok_visa") + "\"}";
        String outcome = "io-error";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                retries.increment();
            }
            ServiceProcess target = orders.get((int) ((n + attempt) % orders.size()));
            long sentAt = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target.url("/orders")))
                        .timeout(TIMEOUT).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token.get()).header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                outcome = Integer.toString(response.statusCode());
                if (response.statusCode() >= 500) {
                    serverErrorAt.add(secondsSinceStart());
                }
                slowestAttemptMillis.computeIfAbsent(outcome, k -> new LongAccumulator(Math::max, 0))
                        .accumulate((System.nanoTime() - sentAt) / 1_000_000);
                if (response.statusCode() == 201 || response.statusCode() == 200) {
                    acknowledged.put(JSON.readTree(response.body()).get("id").asText(), key);
                }
                break;
            } catch (HttpTimeoutException e) {
                outcome = "timeout";
            } catch (IOException e) {
                outcome = "io-error";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = "interrupted";
                break;
            }
        }
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        long latencyNanos = Math.max(0, System.nanoTime() - due);
        latencyMicros.recordValue(latencyNanos / 1_000);
        if (latencyNanos > SLOW.toNanos()) {
            slowDueAt.add((due - startedAt) / 1e9);
        }
    }

    /** Seconds since the load started. */
    double secondsSinceStart() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    long sent() {
        return sent;
    }

    long count(String outcome) {
        LongAdder adder = outcomes.get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    /** Answers 500..599. */
    long serverErrors() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToLong(e -> e.getValue().sum())
                .sum();
    }

    Map<String, Long> outcomeCounts() {
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** The longest attempt answered with {@code status}, in ms; 0 if none was. */
    long slowestMillis(String status) {
        LongAccumulator slowest = slowestAttemptMillis.get(status);
        return slowest == null ? 0 : slowest.get();
    }

    Set<String> acknowledgedIds() {
        return Set.copyOf(acknowledged.keySet());
    }

    double percentileMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
