package dev.bazaar.messaging;

import io.nats.service.Service;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A started service: its endpoints answer requests and {@code $SRV} discovery until {@link #stop()}. */
public final class RunningService {
    private static final Logger LOG = Logger.getLogger(RunningService.class.getName());

    private final Service service;
    private final ExecutorService workers;
    private final Duration drainTimeout;
    private final AtomicBoolean stopped = new AtomicBoolean();

    RunningService(Service service, ExecutorService workers, Duration drainTimeout) {
        this.service = service;
        this.workers = workers;
        this.drainTimeout = drainTimeout;
    }

    /** The unique instance id announced in {@code $SRV} discovery. */
    public String id() {
        return service.getId();
    }

    /** The service name (also the subject prefix and the queue group). */
    public String name() {
        return service.getName();
    }

    /** The jnats service, e.g. for its statistics. */
    public Service service() {
        return service;
    }

    /**
     * Stops taking requests (unsubscribes, draining what the dispatchers hold), then waits up to the drain timeout
     * for handlers still running, so that their replies go out before the connection closes. Idempotent.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            service.stop(true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping service " + name() + " failed", e);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "service " + name() + ": handlers still running after " + drainTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info(() -> "service " + name() + " stopped");
    }
}
