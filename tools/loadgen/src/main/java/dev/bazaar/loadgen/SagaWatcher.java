package dev.bazaar.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The saga's end-to-end latency: from the moment {@code POST /orders} was due to the moment the order is seen
 * {@code CONFIRMED} or {@code CANCELLED}, recorded as operation {@code saga} (outcome: that status). Seen either on
 * the customers' live notification streams (one per user token, opened before the run: no extra requests per order)
 * or by polling {@code GET /orders/{id}}. A notification that arrives before the POST's answer is kept until the
 * order id is known.
 */
final class SagaWatcher implements AutoCloseable {
    static final String OPERATION = "saga";
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Duration POLL_EVERY = Duration.ofMillis(5);

    private record Pending(long due, Results results) {
    }

    private record Ended(String status, long at) {
    }

    private final LoadSettings settings;
    private final HttpClient http;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Ended> early = new ConcurrentHashMap<>();
    private final List<Stream<String>> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

    SagaWatcher(LoadSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * SSE: opens one live stream per token and returns once each answered 200 (else throws, saying which status).
     */
    void open(List<String> tokens) throws IOException, InterruptedException {
        if (settings.observe() != LoadSettings.Observe.SSE) {
            return;
        }
        for (String token : tokens) {
            HttpRequest request = HttpRequest.newBuilder(settings.notifications().resolve("/notifications/stream"))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build();
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("GET /notifications/stream answered " + response.statusCode());
            }
            streams.add(response.body());
            Thread.ofVirtual().name("sse").start(() -> read(response.body()));
        }
    }

    private void read(Stream<String> lines) {
        try {
            lines.forEach(line -> {
                if (line.startsWith("data:")) {
                    Matcher order = ORDER_ID.matcher(line);
                    Matcher status = STATUS.matcher(line);
                    if (order.find() && status.find()) {
                        seen(order.group(1), status.group(1), System.nanoTime());
                    }
                }
            });
        } catch (RuntimeException e) {
            // the stream ended (close() or the service stopped): orders not seen by then count as unobserved
        }
    }

    /** An order was placed (its POST was due at {@code due}) by the holder of {@code token}. */
    void placed(String orderId, long due, String token, Results results) {
        pending.put(orderId, new Pending(due, results));
        Ended before = early.remove(orderId);
        if (before != null) {
            seen(orderId, before.status(), before.at());
        }
        if (settings.observe() == LoadSettings.Observe.POLL) {
            poll(orderId, token);
        }
    }

    /** The order was seen in {@code status} at {@code at}: a final status ends its saga. */
    void seen(String orderId, String status, long at) {
        if (!status.equals("CONFIRMED") && !status.equals("CANCELLED")) {
            return;
        }
        Pending order = pending.remove(orderId);
        if (order == null) {
            early.put(orderId, new Ended(status, at));
            return;
        }
        order.results().operation(OPERATION).record(Schedule.latencyMicros(order.due(), at), status, false);
    }

    private void poll(String orderId, String token) {
        URI uri = settings.orders().resolve("/orders/" + orderId);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long giveUp = System.nanoTime() + settings.timeout().toNanos();
        try {
            while (pending.containsKey(orderId) && System.nanoTime() < giveUp) {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                Matcher status = STATUS.matcher(response.body());
                if (response.statusCode() == 200 && status.find()) {
                    seen(orderId, status.group(1), System.nanoTime());
                }
                if (pending.containsKey(orderId)) {
                    TimeUnit.NANOSECONDS.sleep(POLL_EVERY.toNanos());
                }
            }
        } catch (IOException e) {
            // counted as unobserved below, if it stays pending
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (at most {@code limit}) for the orders still under way; those never seen count as errors. */
    void awaitPending(Duration limit, Results results) throws InterruptedException {
        long giveUp = System.nanoTime() + limit.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < giveUp) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long now = System.nanoTime();
        pending.forEach((id, order) -> {
            if (order.results() == results && pending.remove(id) != null) {
                results.operation(OPERATION).record(Schedule.latencyMicros(order.due(), now), "unobserved", true);
            }
        });
    }

    @Override
    public void close() {
        streams.forEach(Stream::close);
    }
}
