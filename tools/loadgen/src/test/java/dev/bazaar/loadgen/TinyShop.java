package dev.bazaar.loadgen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A tiny real HTTP server with the shop's API as the load generator sees it, on a free port: products, users and
 * tokens, {@code POST /orders} (an order is CONFIRMED {@code sagaMillis} after it is placed, seen by polling
 * {@code GET /orders/{id}} or pushed on {@code GET /notifications/stream}), and a product read that takes
 * {@code readMillis} on a single thread (so that a slow answer queues the next ones).
 */
final class TinyShop implements AutoCloseable {
    static final String PRODUCT = "00000000-0000-4000-8000-000000000001";

    private final HttpServer server;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
    private final List<OutputStream> streams = new CopyOnWriteArrayList<>();
    final Set<String> idempotencyKeys = ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
    volatile long readMillis;
    private final long sagaMillis;

    TinyShop(long sagaMillis) throws IOException {
        this.sagaMillis = sagaMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/products", this::products);
        server.createContext("/users", exchange -> answer(exchange, 201, "{}"));
        server.createContext("/oauth2/token", exchange -> answer(exchange, 200, "{\"access_token\":\"t\"}"));
        server.createContext("/orders", this::orders);
        server.createContext("/notifications/stream", this::stream);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private final Object readLock = new Object();

    private void products(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/products")) {
            answer(exchange, 200, "{\"products\":[{\"id\":\"" + PRODUCT + "\"}]}");
            return;
        }
        synchronized (readLock) { // one read at a time, like a single-threaded server
            sleep(readMillis);
        }
        answer(exchange, 200, "{\"id\":\"" + PRODUCT + "\"}");
    }

    private void orders(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            posts.incrementAndGet();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                idempotencyKeys.add(key);
            }
            String id = UUID.randomUUID().toString();
            confirmedAt.put(id, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sagaMillis));
            timer.schedule(() -> push(id), sagaMillis, TimeUnit.MILLISECONDS);
            answer(exchange, 201, "{\"id\":\"" + id + "\",\"status\":\"PLACED\"}");
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/orders/".length());
        Long at = confirmedAt.get(id);
        if (at == null) {
            answer(exchange, 404, "{}");
            return;
        }
        answer(exchange, 200, "{\"id\":\"" + id + "\",\"status\":\"" + (System.nanoTime() >= at ? "CONFIRMED" : "PLACED")
                + "\"}");
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        body.write(":hello\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
        streams.add(body); // kept open; close() ends it
    }

    private void push(String orderId) {
        byte[] event = ("event:notification\ndata:{\"orderId\":\"" + orderId + "\",\"status\":\"CONFIRMED\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        for (OutputStream stream : streams) {
            try {
                synchronized (stream) {
                    stream.write(event);
                    stream.flush();
                }
            } catch (IOException e) {
                streams.remove(stream);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (OutputStream stream : streams) {
            try {
                stream.close();
            } catch (IOException e) {
                // already gone
            }
        }
        server.stop(0);
        timer.shutdownNow();
    }
}
