package dev.bazaar.rpcbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bazaar.grpc.catalog.v1.CatalogGrpc;
import dev.bazaar.grpc.catalog.v1.GetProductsRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same call, catalog's product lookup by one id, over NATS request-reply ({@code catalog.get-products}, JSON)
 * and over gRPC ({@code bazaar.catalog.v1.Catalog/GetProducts}, protobuf), closed loop: N workers per transport,
 * each sending its next call when the last one answered; latency from each send. Against a running system
 * ({@code make run}); one transport at a time, so they do not compete for the machine. {@code --json FILE} writes
 * the figures for {@code make bench}.
 */
public final class Main {
    private static final String PRODUCT = "00000000-0000-4000-8000-000000000001";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int workers = Integer.parseInt(options.getOrDefault("workers", "8"));
        Duration duration = Duration.parse("PT" + options.getOrDefault("duration", "15s"));
        Duration warmup = Duration.parse("PT" + options.getOrDefault("warmup", "5s"));
        String[] grpc = options.getOrDefault("grpc", "127.0.0.1:9082").split(":");
        String natsUrl = options.getOrDefault("nats", "nats://127.0.0.1:4322");

        Options.Builder nats = Options.builder().server(natsUrl);
        if (options.containsKey("nats-user")) {
            nats.userInfo(options.get("nats-user"), options.getOrDefault("nats-password", ""));
        }
        byte[] body = ("{\"ids\":[\"" + PRODUCT + "\"]}").getBytes(StandardCharsets.UTF_8);
        List<Map<String, Object>> figures = new ArrayList<>();
        try (Connection connection = Nats.connect(nats.build())) {
            figures.add(report("nats request-reply", workers, duration, run(workers, warmup, duration, () -> {
                Message reply = connection.request("catalog.get-products", body, Duration.ofSeconds(5));
                if (reply == null || reply.getHeaders() != null && reply.getHeaders().containsKey("Nats-Service-Error")) {
                    throw new IllegalStateException("no or error reply");
                }
            })));
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress(grpc[0], Integer.parseInt(grpc[1])).usePlaintext()
                .build();
        try {
            CatalogGrpc.CatalogBlockingStub stub = CatalogGrpc.newBlockingStub(channel);
            GetProductsRequest request = GetProductsRequest.newBuilder().addIds(PRODUCT).build();
            figures.add(report("grpc", workers, duration, run(workers, warmup, duration, () -> {
                if (stub.withDeadlineAfter(5, TimeUnit.SECONDS).getProducts(request).getProductsCount() != 1) {
                    throw new IllegalStateException("product missing");
                }
            })));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (options.containsKey("json")) {
            Files.writeString(Path.of(options.get("json")), new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("figures", figures)));
        }
    }

    interface Call {
        void run() throws Exception;
    }

    /** Per worker: calls during the warm-up unrecorded, then the measured phase; errors counted, not timed. */
    private static Result run(int workers, Duration warmup, Duration duration, Call call) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Result result = new Result(new Histogram(TimeUnit.SECONDS.toMicros(10), 3), new long[1]);
            results.add(result);
            threads.add(Thread.ofPlatform().start(() -> {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    try {
                        call.run();
                        if (now >= measureFrom) {
                            result.latency().recordValue(Math.max(1, (System.nanoTime() - now) / 1000));
                        }
                    } catch (Exception e) {
                        result.errors()[0]++;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Result total = new Result(new Histogram(TimeUnit.SECONDS.toMicros(10), 3), new long[1]);
        results.forEach(result -> {
            total.latency().add(result.latency());
            total.errors()[0] += result.errors()[0];
        });
        return total;
    }

    record Result(Histogram latency, long[] errors) {
    }

    /** Prints one transport's line and returns the same figures (latencies in ms) for {@code --json}. */
    private static Map<String, Object> report(String transport, int workers, Duration duration, Result result) {
        Histogram h = result.latency();
        System.out.printf(Locale.ROOT, "%-20s workers=%d calls=%d rate=%.0f/s errors=%d p50=%dus p90=%dus p99=%dus "
                        + "p99.9=%dus max=%dus%n", transport, workers, h.getTotalCount(),
                h.getTotalCount() / (double) duration.toSeconds(), result.errors()[0], h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("name", transport);
        figure.put("workers", workers);
        figure.put("calls", h.getTotalCount());
        figure.put("rate_per_s", Math.round(h.getTotalCount() / (double) duration.toSeconds()));
        figure.put("errors", result.errors()[0]);
        figure.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
        figure.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
        return figure;
    }

    /** {@code --name value} pairs. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
