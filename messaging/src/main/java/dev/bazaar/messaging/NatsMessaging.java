package dev.bazaar.messaging;

import dev.bazaar.messaging.asyncapi.Declarations;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the NATS connection of one service instance: reconnects forever, starts even while the server is down (the
 * instance then reports unready until it connects), and on {@link #close()} stops its services and drains.
 */
public final class NatsMessaging implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NatsMessaging.class.getName());

    private final NatsSettings settings;
    private final Connection connection;
    private final ConnectionEvents events;
    private final JsonCodec codec;
    private final OpenTelemetry openTelemetry;
    private final MessagingTelemetry telemetry;
    private final RequestClient requests;
    private final List<RunningService> services = new CopyOnWriteArrayList<>();
    private final Declarations declarations = new Declarations();
    private final AtomicBoolean closed = new AtomicBoolean();

    private NatsMessaging(NatsSettings settings, Connection connection, ConnectionEvents events, JsonCodec codec,
                          OpenTelemetry openTelemetry) {
        this.settings = settings;
        this.connection = connection;
        this.events = events;
        this.codec = codec;
        this.openTelemetry = openTelemetry;
        this.telemetry = new MessagingTelemetry(openTelemetry);
        this.requests = new RequestClient(connection, codec, telemetry);
    }

    /**
     * Connects with {@code settings}. Returns once connected, or, if no server is reachable, as soon as the client
     * has made its first attempt; it then keeps reconnecting in the background ({@link #isConnected()} tells).
     *
     * @throws MessagingException if the connection cannot even be set up (e.g. unreadable credentials file) or was
     *                            closed by the client during start-up (rejected credentials)
     */
    public static NatsMessaging connect(NatsSettings settings, OpenTelemetry openTelemetry, JsonCodec codec) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        Objects.requireNonNull(codec, "codec");
        ConnectionEvents events = new ConnectionEvents();
        Connection connection = StartupConnect.open(NatsOptions.from(settings, events), events, settings);
        if (connection.getStatus() == Connection.Status.CLOSED) {
            // jnats closes for good after repeated authentication errors: misconfiguration, fail fast.
            throw new MessagingException("NATS connection " + settings.connectionName() + " closed while connecting: "
                    + events.lastError());
        }
        LOG.info(() -> "NATS connection " + settings.connectionName() + " created, status " + connection.getStatus());
        return new NatsMessaging(settings, connection, events, codec, openTelemetry);
    }

    /** The raw connection, for what this module does not wrap (JetStream, key-value, plain publish). */
    public Connection connection() {
        return connection;
    }

    /** True while connected to a server: the readiness signal. */
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    /** Connection event and error counts, for health checks and metrics. */
    public ConnectionEvents events() {
        return events;
    }

    /** The codec used for requests, replies and endpoints. */
    public JsonCodec codec() {
        return codec;
    }

    /** The OpenTelemetry instance spans and propagation come from. */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** The settings this connection was made with. */
    public NatsSettings settings() {
        return settings;
    }

    /** Typed request-reply over this connection. */
    public RequestClient requests() {
        return requests;
    }

    /** Starts describing a service; see {@link ServiceEndpoints.Builder}. */
    public ServiceEndpoints.Builder service(String name, String version, String description) {
        return new ServiceEndpoints.Builder(this, services::add, name, version, description);
    }

    /** What this connection's service declares on NATS: the source of its AsyncAPI document. */
    public Declarations declarations() {
        return declarations;
    }

    MessagingTelemetry telemetry() {
        return telemetry;
    }

    /**
     * Stops the services started here (their in-flight handlers finish and reply), then drains the connection for
     * at most the drain timeout, then closes it. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        services.forEach(RunningService::stop);
        Duration drainTimeout = settings.drainTimeout();
        try {
            if (isConnected()) {
                connection.drain(drainTimeout).get(drainTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "draining NATS connection " + settings.connectionName() + " failed", e);
        } finally {
            closeQuietly(connection);
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing NATS connection failed", e);
        }
    }

    /** Builds jnats options from the settings. */
    static final class NatsOptions {
        private NatsOptions() {
        }

        /** {@code _INBOX_<user>}: the inbox prefix of a connection as {@code user}. */
        static String inboxPrefix(String user) {
            return "_INBOX_" + user;
        }

        static Options from(NatsSettings settings, ConnectionEvents events) {
            Options.Builder builder = new Options.Builder()
                    .servers(settings.servers().toArray(String[]::new))
                    .connectionName(settings.connectionName())
                    .connectionTimeout(settings.connectTimeout())
                    .maxReconnects(-1)
                    .pingInterval(settings.pingInterval())
                    .maxPingsOut(NatsSettings.MAX_PINGS_OUT)
                    .reconnectDelayHandler(new ReconnectBackoff(settings.reconnectWaitMax()))
                    .reportNoResponders() // a 503 status instead of a bare cancellation: see RequestClient
                    .connectionListener(events.connectionListener())
                    .errorListener(events.errorListener());
            if (settings.user() != null) {
                builder.userInfo(settings.user(), settings.password() == null ? "" : settings.password());
                // Answers to this user's requests come to _INBOX_<user>.*, so that the server's permissions can
                // keep one service from reading the answers to another's (config/nats/auth.conf).
                builder.inboxPrefix(inboxPrefix(settings.user()));
            }
            if (settings.credentialsFile() != null) {
                builder.authHandler(Nats.credentials(settings.credentialsFile().toString()));
            }
            if (settings.tls() != null) {
                builder.sslContext(settings.tls().sslContext());
            }
            return builder.build();
        }
    }
}
