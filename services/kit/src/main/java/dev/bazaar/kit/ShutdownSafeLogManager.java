package dev.bazaar.kit;

import java.util.logging.LogManager;

/**
 * Keeps java.util.logging working while a service stops. The JDK resets logging (closes every handler) in a shutdown
 * hook of its own, which runs at the same time as the service's ({@link Lifecycle#closeOnShutdown}): without this,
 * every line of a SIGTERM's shutdown (what stopped, how long it took, the watchdog's halt) is lost. A reset from the
 * JDK's hook is put off until {@link #resetAfterShutdown()}; any other reset (reading a configuration) happens at once.
 * Installed by {@link Launcher#installLogManager()}, before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {
    private static final String JDK_CLEANER = "java.util.logging.LogManager$Cleaner";

    @Override
    public void reset() {
        if (!JDK_CLEANER.equals(Thread.currentThread().getClass().getName())) {
            super.reset();
        }
    }

    /** Closes the handlers (flushing them) once the service has stopped; a no-op under another log manager. */
    static void resetAfterShutdown() {
        if (LogManager.getLogManager() instanceof ShutdownSafeLogManager manager) {
            manager.resetNow();
        }
    }

    private void resetNow() {
        super.reset();
    }
}
