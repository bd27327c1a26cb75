package dev.bazaar.messaging;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts connection events by type ({@code CONNECTED}, {@code DISCONNECTED}, {@code RECONNECTED}, ...) and errors
 * reported by the client, and logs each one; the counts feed health checks and metrics.
 * <p>
 * jnats reports the first successful connect as {@code RECONNECTED}, not {@code CONNECTED}, when the server was
 * down at start-up; every failed attempt while away counts as one {@code DISCONNECTED} and one error. After the
 * same authentication error twice in a row jnats gives up and closes the connection ({@code CLOSED}).
 */
public final class ConnectionEvents {
    private static final Logger LOG = Logger.getLogger(ConnectionEvents.class.getName());

    private final Map<ConnectionListener.Events, AtomicLong> counts = new EnumMap<>(ConnectionListener.Events.class);
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastServerError;
    private volatile String lastException;
    // The first callback hands over the connection while the initial connect is still retrying.
    private final CompletableFuture<Connection> firstSeen = new CompletableFuture<>();
    private final List<Runnable> reconnectActions = new CopyOnWriteArrayList<>();

    ConnectionEvents() {
        for (ConnectionListener.Events type : ConnectionListener.Events.values()) {
            counts.put(type, new AtomicLong());
        }
    }

    /** How many times {@code type} happened since start-up. */
    public long count(ConnectionListener.Events type) {
        return counts.get(type).get();
    }

    /** How many errors and exceptions the client reported (failed connect attempts included). */
    public long errors() {
        return errors.get();
    }

    /**
     * What went wrong last, for health details: the server's last error since the last (re)connect (e.g. {@code
     * Authorization Violation}) if any, else the client's last exception, else {@code null}.
     */
    public String lastError() {
        String serverError = lastServerError;
        return serverError != null ? serverError : lastException;
    }

    /** All counts by event name, plus {@code errors}, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counts.forEach((type, count) -> snapshot.put(type.name(), count.get()));
        snapshot.put("errors", errors.get());
        return Collections.unmodifiableMap(snapshot);
    }

    /**
     * Runs {@code action} after every reconnect (on jnats' callback thread: keep it short). A pull request, a stream
     * or a consumer may not have survived the server's restart; listeners and publishers use this to check again.
     */
    public void onReconnected(Runnable action) {
        reconnectActions.add(Objects.requireNonNull(action, "action"));
    }

    CompletableFuture<Connection> firstSeen() {
        return firstSeen;
    }

    ConnectionListener connectionListener() {
        return (connection, type) -> {
            seen(connection);
            counts.get(type).incrementAndGet();
            if (type == ConnectionListener.Events.CONNECTED || type == ConnectionListener.Events.RECONNECTED) {
                lastServerError = null;
            }
            if (type == ConnectionListener.Events.RECONNECTED) {
                reconnectActions.forEach(ConnectionEvents::runQuietly);
            }
            Level level = switch (type) {
                case DISCONNECTED, LAME_DUCK -> Level.WARNING;
                case CONNECTED, RECONNECTED, CLOSED -> Level.INFO;
                default -> Level.FINE;
            };
            LOG.log(level, () -> "NATS " + type.name() + " (" + serverOf(connection) + ")");
        };
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a reconnect action failed", e);
        }
    }

    ErrorListener errorListener() {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection connection, String error) {
                seen(connection);
                errors.incrementAndGet();
                lastServerError = error;
                LOG.warning(() -> "NATS error: " + error);
            }

            @Override
            public void exceptionOccurred(Connection connection, Exception exception) {
                seen(connection);
                errors.incrementAndGet();
                lastException = exception.toString();
                // Repeats every reconnect round while the server is away: keep the stack trace at FINE.
                LOG.warning(() -> "NATS exception: " + exception);
                LOG.log(Level.FINE, "NATS exception", exception);
            }

            @Override
            public void slowConsumerDetected(Connection connection, Consumer consumer) {
                errors.incrementAndGet();
                lastException = "slow consumer";
                LOG.warning(() -> "NATS slow consumer: " + consumer.getPendingMessageCount() + " messages pending");
            }
        };
    }

    /**
     * Hands over the connection once the first connect attempt is over. Subscriptions made during that attempt
     * would be lost if it succeeded (only reconnects resend them); from then on they are kept and sent on connect.
     */
    private void seen(Connection connection) {
        if (connection != null && connection.getStatus() != Connection.Status.CONNECTING) {
            firstSeen.complete(connection);
        }
    }

    private static String serverOf(Connection connection) {
        String url = connection == null ? null : connection.getConnectedUrl();
        return url == null ? "no server" : url;
    }
}
