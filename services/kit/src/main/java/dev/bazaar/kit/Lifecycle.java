package dev.bazaar.kit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one shutdown order of a service: what was started last stops first. A service adds its telemetry, database,
 * NATS connection, listeners, outbox relay, endpoints, webserver and readiness in that order, so shutdown reports
 * unready, stops taking HTTP (requests in flight finish), stops serving NATS, stops pulling events, drains the
 * relay, drains the connection, closes the pool, and flushes spans last.
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

    /** Registers a started resource and returns it. */
    public synchronized <T> T add(String name, T resource, AutoCloseable stop) {
        resources.push(new Named(name, stop));
        return resource;
    }

    /** Registers a started closeable resource and returns it. */
    public <T extends AutoCloseable> T add(String name, T resource) {
        return add(name, resource, resource);
    }

    /** Stops everything in reverse start order; failures are logged and do not stop the rest. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long began = System.nanoTime();
        while (!resources.isEmpty()) {
            Named next = resources.pop();
            try {
                next.resource().close();
                LOG.fine(() -> service + ": stopped " + next.name() + " at " + (System.nanoTime() - began) / 1_000_000 + " ms");
            } catch (Exception e) {
                LOG.log(Level.WARNING, service + ": stopping " + next.name() + " failed", e);
            }
        }
        LOG.info(() -> service + " stopped in " + (System.nanoTime() - began) / 1_000_000 + " ms");
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
