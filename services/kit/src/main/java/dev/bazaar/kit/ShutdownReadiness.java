package dev.bazaar.kit;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Readiness that goes down before HTTP stops. Added to the lifecycle after the webserver, it is closed first: it
 * reports not ready and waits {@code shutdown.readiness-delay} (application.yaml) while HTTP still serves, so that load balancers
 * and clients polling readiness move away before the server stops taking requests (those in flight then finish in
 * its grace period).
 */
public final class ShutdownReadiness implements AutoCloseable {
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Duration delay;

    private ShutdownReadiness(Duration delay) {
        this.delay = delay;
    }

    /** From the {@code shutdown} config node. */
    public static ShutdownReadiness from(Config shutdown) {
        return new ShutdownReadiness(shutdown.get("readiness-delay").as(Duration.class).get());
    }

    /** The readiness check: up until {@link #close()}. */
    public HealthCheck check() {
        return Readiness.notStopping(stopping);
    }

    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        Thread.sleep(delay.toMillis());
    }
}
