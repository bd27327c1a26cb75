package dev.bazaar.kit;

import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;

import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The body of every service's {@code main}: load the configuration, start telemetry, start the service, stop it in
 * order on SIGTERM, and exit non-zero (with the reason logged) when it cannot start.
 */
public final class Launcher {
    static {
        installLogManager(); // before the first logger: so that a SIGTERM's shutdown is logged
    }

    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());

    private Launcher() {
    }

    /**
     * Makes {@link ShutdownSafeLogManager} the JVM's log manager; effective only before anything logs. Here, not in
     * that class: calling a static method of a {@code LogManager} subclass initializes {@code LogManager} first,
     * which reads the property before it is set.
     */
    static void installLogManager() {
        System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
    }

    public static void launch(String name, Class<?> mainClass, BiFunction<Config, Telemetry, RunningApp> start) {
        long began = System.nanoTime();
        try {
            Config config = ServiceConfig.load();
            Telemetry telemetry = Telemetry.fromEnvironment(name, ServiceConfig.version(mainClass));
            RunningApp app = start.apply(config, telemetry);
            // the longest a SIGTERM may take before the JVM halts: below `make stop`'s 15 s
            app.lifecycle().closeOnShutdown(config.get("shutdown.timeout").as(java.time.Duration.class).get());
            long millis = (System.nanoTime() - began) / 1_000_000;
            LOG.info(() -> name + " " + ServiceConfig.version(mainClass) + " ready on " + app.baseUrl() + " in "
                    + millis + " ms (JVM up " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
                    + " ms)");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, name + " could not start: " + e.getMessage(), e);
            System.exit(1);
        }
    }
}
