package dev.bazaar.kit;

import dev.bazaar.messaging.NatsSettings;
import io.helidon.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@link NatsSettings} from the {@code nats} config node: {@code servers} (comma-separated),
 * {@code user}, {@code password}, {@code credentials} (a .creds file), {@code connect-timeout},
 * {@code reconnect-wait-max}, {@code drain-timeout}, {@code max-payload}
 * (environment: {@code NATS_SERVERS}, {@code NATS_USER}, {@code NATS_PASSWORD}, {@code NATS_CREDENTIALS}).
 */
public final class NatsConfig {
    private NatsConfig() {
    }

    public static NatsSettings settings(Config nats, String connectionName) {
        List<String> servers = Arrays.stream(nats.get("servers").asString().orElse("nats://127.0.0.1:4222").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new NatsSettings(
                servers,
                connectionName,
                nats.get("user").asString().filter(s -> !s.isBlank()).orElse(null),
                nats.get("password").asString().filter(s -> !s.isBlank()).orElse(null),
                nats.get("credentials").asString().filter(s -> !s.isBlank()).map(Path::of).orElse(null),
                nats.get("connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                nats.get("reconnect-wait-max").as(Duration.class).orElse(Duration.ofSeconds(2)),
                nats.get("drain-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)),
                nats.get("max-payload").asInt().orElse(64 * 1024));
    }
}
