package dev.bazaar.kit;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A background job run every {@code interval} on a virtual thread until closed; a failing run is logged and the
 * next one happens as planned.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Periodic.class.getName());
    private final Thread thread;

    private Periodic(String name, Duration interval, Runnable job) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> loop(name, interval, job));
    }

    public static Periodic start(String name, Duration interval, Runnable job) {
        Periodic periodic = new Periodic(name, interval, job);
        periodic.thread.start();
        return periodic;
    }

    private static void loop(String name, Duration interval, Runnable job) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                job.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, name + " failed; retrying in " + interval, e);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
