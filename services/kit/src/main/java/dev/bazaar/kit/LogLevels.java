package dev.bazaar.kit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Operator overrides of the logging set-up, applied after the classpath's {@code logging.properties}: the file named
 * by the environment variable {@code LOGGING_CONFIG} replaces it, then each system property
 * {@code -D<logger>.level=<LEVEL>} (e.g. {@code -Ddev.bazaar.orders.level=FINE}, {@code -Dio.helidon.level=INFO})
 * sets that logger's level.
 */
final class LogLevels {
    private static final Logger LOG = Logger.getLogger(LogLevels.class.getName());
    /** JUL holds loggers weakly: keep the ones given a level, or the level goes with a collected logger. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private LogLevels() {
    }

    static synchronized void applyOverrides() {
        String file = System.getenv("LOGGING_CONFIG");
        if (file != null && !file.isBlank()) {
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                LogManager.getLogManager().readConfiguration(in);
            } catch (IOException e) {
                LOG.warning(() -> "LOGGING_CONFIG=" + file + " unreadable (" + e.getMessage() + "), keeping the defaults");
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (!key.endsWith(".level") || key.endsWith("Handler.level")) {
                continue;
            }
            String logger = key.substring(0, key.length() - ".level".length());
            try {
                Level level = Level.parse(System.getProperty(key).trim());
                Logger target = Logger.getLogger(logger.equals(".") || logger.isEmpty() ? "" : logger);
                target.setLevel(level);
                CONFIGURED.add(target);
            } catch (IllegalArgumentException notALevel) {
                LOG.warning(() -> "ignoring -D" + key + ": not a log level");
            }
        }
    }
}
