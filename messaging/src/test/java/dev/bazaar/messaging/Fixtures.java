package dev.bazaar.messaging;

import dev.bazaar.testing.TestNatsServer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Shared request/reply types and fast settings for the integration tests. */
public final class Fixtures {
    record Greet(String name) {
    }

    record Greeting(String text, Instant at) {
    }

    private Fixtures() {
    }

    /** Quick reconnects and drains so that tests stay short. */
    public static NatsSettings settings(TestNatsServer server, String connectionName) {
        return settings(server.url(), connectionName, 65536);
    }

    public static NatsSettings settings(String url, String connectionName, int maxPayloadBytes) {
        return new NatsSettings(List.of(url), connectionName, null, null, null,
                Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(2), maxPayloadBytes);
    }
}
