package dev.bazaar.kit;

import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.NatsTls;
import io.helidon.config.Config;
import io.opentelemetry.api.OpenTelemetry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@link NatsSettings} from the {@code nats} config node: {@code servers} (comma-separated),
 * {@code max-payload}, {@code connect-timeout}, {@code reconnect-wait-max}, {@code drain-timeout} and
 * {@code ping-interval}, required (each service's application.yaml has them), and, when set, {@code user},
 * {@code password}, {@code credentials} (a .creds file) and TLS: {@code tls.ca} (PEM CA
 * certificates; TLS is on when set), {@code tls.cert} and {@code tls.key} (a client certificate and its PKCS#8 key,
 * for servers that verify clients)
 * (environment: {@code NATS_SERVERS}, {@code NATS_USER}, {@code NATS_PASSWORD}, {@code NATS_CREDENTIALS},
 * {@code NATS_TLS_CA}, {@code NATS_TLS_CERT}, {@code NATS_TLS_KEY}).
 */
public final class NatsConfig {
    private NatsConfig() {
    }

    /** Connects as {@code service} with the settings of the {@code nats} node, over the shared JSON codec. */
    public static NatsMessaging connect(Config nats, String service, OpenTelemetry openTelemetry) {
        return NatsMessaging.connect(settings(nats, service), openTelemetry, Json.codec());
    }

    public static NatsSettings settings(Config nats, String connectionName) {
        List<String> servers = Arrays.stream(nats.get("servers").asString().get().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new NatsSettings(
                servers,
                connectionName,
                nats.get("user").asString().filter(s -> !s.isBlank()).orElse(null),
                nats.get("password").asString().filter(s -> !s.isBlank()).orElse(null),
                nats.get("credentials").asString().filter(s -> !s.isBlank()).map(Path::of).orElse(null),
                nats.get("connect-timeout").as(Duration.class).get(),
                nats.get("reconnect-wait-max").as(Duration.class).get(),
                nats.get("drain-timeout").as(Duration.class).get(),
                nats.get("max-payload").asInt().get(),
                tls(nats.get("tls")),
                nats.get("ping-interval").as(Duration.class).get());
    }

    private static NatsTls tls(Config tls) {
        return path(tls.get("ca"))
                .map(ca -> new NatsTls(ca, path(tls.get("cert")).orElse(null), path(tls.get("key")).orElse(null)))
                .orElse(null);
    }

    private static Optional<Path> path(Config node) {
        return node.asString().filter(s -> !s.isBlank()).map(Path::of);
    }
}
