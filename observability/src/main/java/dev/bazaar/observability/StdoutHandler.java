package dev.bazaar.observability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * Like {@link java.util.logging.ConsoleHandler}, but on standard output, where container runtimes and log shippers
 * expect a service's log lines; flushes every record. Configured from {@code logging.properties}:
 * {@code dev.bazaar.observability.StdoutHandler.level} (default {@code ALL}) and {@code .formatter} (default
 * {@link JsonLogFormatter}).
 */
public final class StdoutHandler extends StreamHandler {
    // The real stdout, not System.out as it may be at the time (tests redirect it).
    private static final PrintStream STDOUT =
            new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

    public StdoutHandler() {
        super(STDOUT, formatter());
        setLevel(level());
        setEncodingQuietly();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
    }

    /** Flushes but never closes standard output. */
    @Override
    public synchronized void close() {
        flush();
    }

    private void setEncodingQuietly() {
        try {
            setEncoding(StandardCharsets.UTF_8.name());
        } catch (java.io.UnsupportedEncodingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Level level() {
        String value = LogManager.getLogManager().getProperty(StdoutHandler.class.getName() + ".level");
        try {
            return value == null ? Level.ALL : Level.parse(value.trim());
        } catch (IllegalArgumentException e) {
            return Level.ALL;
        }
    }

    private static Formatter formatter() {
        String name = LogManager.getLogManager().getProperty(StdoutHandler.class.getName() + ".formatter");
        if (name != null && !name.isBlank() && !name.trim().equals(JsonLogFormatter.class.getName())) {
            try {
                return (Formatter) ClassLoader.getSystemClassLoader().loadClass(name.trim())
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                System.err.println("StdoutHandler: cannot use formatter " + name + " (" + e + "), using JSON");
            }
        }
        return new JsonLogFormatter();
    }
}
