package dev.bazaar.messaging;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first connect, without blocking start-up on an absent server. With endless reconnects, {@code
 * Nats.connectReconnectOnConnect} only returns once connected, so it runs on a background thread; meanwhile the
 * connection object reaches us through the first listener callback after the initial attempt failed. From then on
 * subscriptions are kept and sent on connect, and publishes without headers are buffered (jnats refuses headers
 * until it has seen a server, so traced requests fail fast with a {@link MessagingException} instead).
 */
final class StartupConnect {
    private StartupConnect() {
    }

    static Connection open(Options options, ConnectionEvents events, NatsSettings settings) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("nats-connect-" + settings.connectionName()).start(() -> {
            try {
                result.complete(Nats.connectReconnectOnConnect(options));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        events.firstSeen().thenAccept(result::complete);
        // One attempt per server takes at most connectTimeout each; the margin covers DNS and callbacks.
        Duration wait = settings.connectTimeout().multipliedBy(settings.servers().size()).plusSeconds(5);
        try {
            return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new MessagingException("cannot set up NATS connection " + settings.connectionName() + ": "
                    + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            abandon(result, events);
            throw new MessagingException("NATS connection " + settings.connectionName() + " not set up within "
                    + wait.toMillis() + " ms");
        } catch (InterruptedException e) {
            abandon(result, events);
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while connecting to NATS", e);
        }
    }

    /** Whatever connection shows up later must not reconnect forever with no owner. */
    private static void abandon(CompletableFuture<Connection> result, ConnectionEvents events) {
        result.thenAccept(NatsMessaging::closeQuietly);
        events.firstSeen().thenAccept(NatsMessaging::closeQuietly);
    }
}
