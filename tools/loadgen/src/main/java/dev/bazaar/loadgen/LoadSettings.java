package dev.bazaar.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What to run: {@code --scenario} at {@code --rate} operations per second (open loop) or with {@code --connections}
 * workers sending back to back (closed loop, peak throughput) for {@code --duration}, after an unrecorded
 * {@code --warmup}, against the services' base URLs, which must be on this machine (127.0.0.1 or localhost): this
 * tool is not for loading anyone else's system.
 */
record LoadSettings(Scenario scenario, int rate, int connections, Duration duration, Duration warmup, URI catalog,
                    URI orders, URI identity, URI notifications, int users, int maxInFlight, Duration timeout,
                    Observe observe, int benchProducts, String adminClient, Path json, Path measuredMark) {
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost");
    /**
     * Each operation in flight holds an HTTP connection of its own: a bound like a client's connection pool. Without
     * one (it was 5 × rate), a stalled open loop at 1,800/s opened 9,000 connections, which exhausted the catalog's
     * 96 MiB heap (OutOfMemoryError in its accept thread: the service stayed up, deaf) instead of measuring it.
     */
    static final int DEFAULT_MAX_IN_FLIGHT = 256;

    /** What each operation is. */
    enum Scenario {
        /** 70% product reads, 20% orders (one in ten declined), 5% logins, 5% bad requests. */
        MIX,
        /** {@code GET /products/{id}}, a random product each time. */
        GET_PRODUCT,
        /** {@code POST /orders}, one line of a random product, paid with an accepted token. */
        POST_ORDER,
        /** {@code POST /orders}, then the time until the order is seen CONFIRMED or CANCELLED (see Observe). */
        SAGA
    }

    /** How the saga scenario learns that an order ended. */
    enum Observe {
        /** One live notification stream per user ({@code GET /notifications/stream}): no extra requests per order. */
        SSE,
        /** {@code GET /orders/{id}} every few milliseconds until it leaves PLACED. */
        POLL
    }

    LoadSettings {
        if (rate < 1 || rate > 20_000) {
            throw new IllegalArgumentException("rate must be 1..20000 per second: " + rate);
        }
        if (connections < 0 || connections > 1_000) {
            throw new IllegalArgumentException("connections must be 0 (open loop) .. 1000: " + connections);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("duration must be over 0 and at most 30m: " + duration);
        }
        if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("warmup must be 0 .. 5m: " + warmup);
        }
        for (URI uri : new URI[] {catalog, orders, identity, notifications}) {
            if (!LOCAL_HOSTS.contains(uri.getHost())) {
                throw new IllegalArgumentException("only 127.0.0.1 / localhost may be loaded: " + uri);
            }
        }
    }

    /** Closed loop: {@code connections} workers, each sending its next request when the last one answered. */
    boolean closedLoop() {
        return connections > 0;
    }

    static LoadSettings parse(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        int rate = Integer.parseInt(options.getOrDefault("rate", "50"));
        String json = options.get("json");
        String mark = options.get("mark-measured");
        return new LoadSettings(enumOf(Scenario.class, options.getOrDefault("scenario", "mix")), rate,
                Integer.parseInt(options.getOrDefault("connections", "0")),
                duration(options.getOrDefault("duration", "30s")), duration(options.getOrDefault("warmup", "0s")),
                URI.create(options.getOrDefault("catalog", "http://127.0.0.1:8082")),
                URI.create(options.getOrDefault("orders", "http://127.0.0.1:8083")),
                URI.create(options.getOrDefault("identity", "http://127.0.0.1:8081")),
                URI.create(options.getOrDefault("notifications", "http://127.0.0.1:8085")),
                Integer.parseInt(options.getOrDefault("users", "10")),
                Integer.parseInt(options.getOrDefault("max-in-flight", Integer.toString(DEFAULT_MAX_IN_FLIGHT))),
                duration(options.getOrDefault("timeout", "5s")),
                enumOf(Observe.class, options.getOrDefault("observe", "sse")),
                Integer.parseInt(options.getOrDefault("bench-products", "0")),
                options.getOrDefault("admin-client", "bazaar-admin-cli:local-cli-secret-change-me"),
                json == null ? null : Path.of(json), mark == null ? null : Path.of(mark));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " '" + text + "': one of " + java.util.Arrays.toString(type.getEnumConstants())
                    .toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
    }

    /** {@code 30s}, {@code 2m}, {@code 1h}, {@code 500ms} or an ISO-8601 duration ({@code PT30S}). */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("duration must look like 30s, 2m, 500ms or PT30S: " + text);
        }
    }
}
