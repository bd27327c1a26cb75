package dev.bazaar.baselines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bazaar.testing.TestNatsServer;
import io.helidon.webserver.WebServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What {@code make bench} compares Bazaar's figures with, measured in the same run on the same machine:
 * <ul>
 *   <li>{@code http [--port 8090]}: the bare Helidon JSON endpoint ({@link BareHttp}) until stopped (SIGTERM); the
 *   bench loads it with the load generator like the catalog;</li>
 *   <li>{@code nats [--seconds 5 --concurrency 16 --rounds 2]}: one request-reply hop, plain jnats against the
 *   messaging library, tracing off and on ({@link NatsRoundTrip});</li>
 *   <li>{@code jetstream [--messages 10000]}: publish and consume rates, plain jnats against the library's
 *   publisher, outbox relay and listener ({@link JetStreamRates}).</li>
 * </ul>
 * The NATS figures run on a nats-server of their own (free ports, JetStream in a temporary directory) and the relay
 * on a throwaway database, as the tests do: nothing of {@code make run} is touched. {@code --json FILE} writes them.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // the figures, not the servers' and clients' INFO lines
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        try {
            run(args);
        } catch (Exception e) {
            // a failed baseline ends the JVM, whose NATS client threads would keep it alive
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: baselines http|nats|jetstream [--name value ...]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "http" -> serve(Integer.parseInt(options.getOrDefault("port", "8090")));
            case "nats" -> {
                try (TestNatsServer server = TestNatsServer.start()) {
                    write(options, "nats", NatsRoundTrip.run(server.url(),
                            Integer.parseInt(options.getOrDefault("concurrency", "16")),
                            Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "5"))),
                            Integer.parseInt(options.getOrDefault("rounds", "2"))));
                }
            }
            case "jetstream" -> {
                try (TestNatsServer server = TestNatsServer.start()) {
                    write(options, "jetstream", JetStreamRates.run(server.url(),
                            Integer.parseInt(options.getOrDefault("messages", "10000"))));
                }
            }
            default -> {
                System.err.println("unknown baseline " + args[0] + ": http, nats or jetstream");
                System.exit(2);
            }
        }
    }

    private static void serve(int port) throws InterruptedException {
        WebServer server = BareHttp.start(port);
        System.out.println("bare Helidon JSON endpoint on http://127.0.0.1:" + server.port() + "/products/{id}");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static void write(Map<String, String> options, String kind, List<Measured> figures) throws Exception {
        figures.forEach(System.out::println);
        String file = options.get("json");
        if (file != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("baseline", kind);
            json.put("figures", figures.stream().map(Measured::toJson).toList());
            Files.writeString(Path.of(file), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(json));
        }
    }
}
