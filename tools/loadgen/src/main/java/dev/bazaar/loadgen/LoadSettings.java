package dev.bazaar.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What to run: {@code --rate} operations per second for {@code --duration} against the services' base URLs, which
 * must be on this machine (127.0.0.1 or localhost): this tool is not for loading anyone else's system.
 */
record LoadSettings(int rate, Duration duration, URI catalog, URI orders, URI identity, int users, int maxInFlight,
                    Duration timeout) {
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost");

    LoadSettings {
        if (rate < 1 || rate > 5_000) {
            throw new IllegalArgumentException("rate must be 1..5000 per second: " + rate);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("duration must be over 0 and at most 30m: " + duration);
        }
        for (URI uri : new URI[] {catalog, orders, identity}) {
            if (!LOCAL_HOSTS.contains(uri.getHost())) {
                throw new IllegalArgumentException("only 127.0.0.1 / localhost may be loaded: " + uri);
            }
        }
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
        return new LoadSettings(rate, duration(options.getOrDefault("duration", "30s")),
                URI.create(options.getOrDefault("catalog", "http://127.0.0.1:8082")),
                URI.create(options.getOrDefault("orders", "http://127.0.0.1:8083")),
                URI.create(options.getOrDefault("identity", "http://127.0.0.1:8081")),
                Integer.parseInt(options.getOrDefault("users", "10")),
                Integer.parseInt(options.getOrDefault("max-in-flight", Integer.toString(Math.max(50, rate * 5)))),
                duration(options.getOrDefault("timeout", "5s")));
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
