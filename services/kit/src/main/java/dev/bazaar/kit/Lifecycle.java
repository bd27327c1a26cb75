package dev.bazaar.kit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one shutdown order of a service: what was started last stops first. A service's {@code Main} adds each part
 * as it starts it (telemetry, database, NATS connection, outbox relay, listeners, endpoints, webserver, readiness),
 * so shutdown reports unready, stops taking HTTP (requests in flight finish), stops serving NATS, stops pulling
 * events, drains the relay, drains the connection, closes the pool, and flushes spans last. A {@code Main} that
 * fails half-way calls {@link #abort} so that what had started is stopped again.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());
    private final String service;
    private final Deque<Named> resources = new ArrayDeque<>();
    private boolean closed;

    private record Named(String name, AutoCloseable resource) {
    }

    public Lifecycle(String service) {
        this.service = service;
    }

    /** Registers a started resource with how it stops, and returns it. */
    public <T> T add(String name, T resource, Consumer<? super T> stop) {
        push(name, () -> stop.accept(resource));
        return resource;
    }

    /** Registers a started closeable resource and returns it. */
    public <T extends AutoCloseable> T add(String name, T resource) {
        push(name, resource);
        return resource;
    }

    private synchronized void push(String name, AutoCloseable stop) {
        resources.push(new Named(name, stop));
    }

    /** Stops everything in reverse start order; failures are logged and do not stop the rest. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!resources.isEmpty()) {
            Named next = resources.pop();
            try {
                next.resource().close();
                LOG.fine(() -> service + ": stopped " + next.name());
            } catch (Exception e) {
                LOG.log(Level.WARNING, service + ": stopping " + next.name() + " failed", e);
            }
        }
        LOG.info(() -> service + " stopped");
    }

    /** Stops what has started (see {@link #close}) and returns {@code failure}, for {@code throw lifecycle.abort(e)}. */
    public RuntimeException abort(RuntimeException failure) {
        close();
        return failure;
    }

    /**
     * Closes this lifecycle when the JVM is asked to exit (SIGTERM, Ctrl-C), and halts the JVM if that takes longer
     * than {@code limit}: each step is bounded, but their bounds add up (HTTP grace, listener drain, relay drain, NATS
     * drain), and an orchestrator kills at its own limit anyway (`make stop`: 15 s). What a halt leaves is safe:
     * unpublished outbox rows are relayed at the next start, unsettled messages are redelivered.
     */
    public void closeOnShutdown(java.time.Duration limit) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name(service + "-shutdown").unstarted(() -> {
            Thread watchdog = Thread.ofPlatform().daemon().name(service + "-shutdown-watchdog").start(() -> {
                try {
                    Thread.sleep(limit);
                } catch (InterruptedException e) {
                    return;
                }
                LOG.warning(() -> service + " still stopping after " + limit + ": halting");
                ShutdownSafeLogManager.resetAfterShutdown();
                Runtime.getRuntime().halt(1);
            });
            close();
            watchdog.interrupt();
            ShutdownSafeLogManager.resetAfterShutdown();
        }));
    }
}
