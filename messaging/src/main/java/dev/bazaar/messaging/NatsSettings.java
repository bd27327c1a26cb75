package dev.bazaar.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Connection settings of one service instance.
 *
 * @param servers         server URLs, e.g. {@code List.of("nats://127.0.0.1:4222")}
 * @param connectionName  shown by the server ({@code connz}) to tell instances apart
 * @param user            user name, or {@code null}
 * @param password        password for {@code user}, or {@code null}
 * @param credentialsFile a {@code .creds} file (JWT + NKey), or {@code null}
 * @param connectTimeout  time allowed for one connection attempt
 * @param reconnectWaitMax cap of the exponential backoff between reconnect rounds (jitter is added on top)
 * @param drainTimeout    time allowed on close for in-flight messages
 * @param maxPayloadBytes largest request payload an endpoint accepts (larger ones are answered with 413)
 * @param tls             TLS to the server, or {@code null} for plain TCP
 * @param pingInterval    how often the client pings the server; two pings without a pong ({@value #MAX_PINGS_OUT})
 *                        mark the connection stale and start reconnecting, so a frozen server (alive TCP, no
 *                        answers) is noticed after two to three intervals instead of jnats' default 4-6 minutes
 */
public record NatsSettings(List<String> servers, String connectionName, String user, String password,
                           Path credentialsFile, Duration connectTimeout, Duration reconnectWaitMax,
                           Duration drainTimeout, int maxPayloadBytes, NatsTls tls, Duration pingInterval) {
    /** Pings without an answer before the connection counts as stale (jnats' default). */
    public static final int MAX_PINGS_OUT = 2;
    /** 2 s: a frozen server is noticed within 4-6 s; a ping is a few bytes, not a message. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(2);

    /** Settings with the default ping interval. */
    public NatsSettings(List<String> servers, String connectionName, String user, String password,
                        Path credentialsFile, Duration connectTimeout, Duration reconnectWaitMax,
                        Duration drainTimeout, int maxPayloadBytes, NatsTls tls) {
        this(servers, connectionName, user, password, credentialsFile, connectTimeout, reconnectWaitMax,
                drainTimeout, maxPayloadBytes, tls, DEFAULT_PING_INTERVAL);
    }

    /** Settings without TLS. */
    public NatsSettings(List<String> servers, String connectionName, String user, String password,
                        Path credentialsFile, Duration connectTimeout, Duration reconnectWaitMax,
                        Duration drainTimeout, int maxPayloadBytes) {
        this(servers, connectionName, user, password, credentialsFile, connectTimeout, reconnectWaitMax,
                drainTimeout, maxPayloadBytes, null);
    }

    public NatsSettings {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one NATS server URL is required");
        }
        if (connectionName == null || connectionName.isBlank()) {
            throw new IllegalArgumentException("connectionName is required");
        }
        if (password != null && user == null) {
            throw new IllegalArgumentException("a password needs a user");
        }
        positive(connectTimeout, "connectTimeout");
        positive(reconnectWaitMax, "reconnectWaitMax");
        positive(drainTimeout, "drainTimeout");
        positive(pingInterval, "pingInterval");
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
        }
    }

    /** One unauthenticated server with defaults: 2 s connect, 2 s max backoff, 5 s drain, 64 KiB payloads. */
    public static NatsSettings local(String url, String connectionName) {
        return new NatsSettings(List.of(url), connectionName, null, null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), 65536);
    }

    /** The same settings with user and password. */
    public NatsSettings withUserInfo(String user, String password) {
        return new NatsSettings(servers, connectionName, user, password, credentialsFile, connectTimeout,
                reconnectWaitMax, drainTimeout, maxPayloadBytes, tls, pingInterval);
    }

    /** The same settings with another request-payload limit. */
    public NatsSettings withMaxPayloadBytes(int maxPayloadBytes) {
        return new NatsSettings(servers, connectionName, user, password, credentialsFile, connectTimeout,
                reconnectWaitMax, drainTimeout, maxPayloadBytes, tls, pingInterval);
    }

    /** The same settings with TLS ({@code null}: plain TCP). */
    public NatsSettings withTls(NatsTls tls) {
        return new NatsSettings(servers, connectionName, user, password, credentialsFile, connectTimeout,
                reconnectWaitMax, drainTimeout, maxPayloadBytes, tls, pingInterval);
    }

    /** The same settings with another ping interval. */
    public NatsSettings withPingInterval(Duration pingInterval) {
        return new NatsSettings(servers, connectionName, user, password, credentialsFile, connectTimeout,
                reconnectWaitMax, drainTimeout, maxPayloadBytes, tls, pingInterval);
    }

    /** Never prints the password, so that settings may be logged. */
    @Override
    public String toString() {
        return "NatsSettings[servers=" + servers + ", connectionName=" + connectionName + ", user=" + user
                + ", password=" + (password == null ? null : "***") + ", credentialsFile=" + credentialsFile
                + ", connectTimeout=" + connectTimeout + ", reconnectWaitMax=" + reconnectWaitMax
                + ", drainTimeout=" + drainTimeout + ", maxPayloadBytes=" + maxPayloadBytes + ", tls=" + tls
                + ", pingInterval=" + pingInterval + "]";
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
