package dev.bazaar.testing;

import io.nats.NatsServerRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/**
 * A real nats-server with JetStream on a free port and its own store directory, for one test class or JVM.
 * <p>
 * The binary is {@code $NATS_SERVER_PATH}, else {@code nats-server} on the PATH, else {@code /usr/sbin/nats-server}
 * (Debian's package). Extra configuration lines (users, permissions) may be passed as {@code configLines}.
 */
public final class TestNatsServer implements AutoCloseable {
    private final Path storeDir;
    private final List<String> configLines;
    private final int port;
    private NatsServerRunner runner;

    private TestNatsServer(Path storeDir, List<String> configLines, int port) {
        this.storeDir = storeDir;
        this.configLines = configLines;
        this.port = port;
    }

    /** Starts a server with JetStream and no authentication. */
    public static TestNatsServer start() {
        return start(List.of());
    }

    /** Starts a server with JetStream and the given extra configuration lines. */
    public static TestNatsServer start(List<String> configLines) {
        try {
            Path store = Files.createTempDirectory("bazaar-nats-");
            TestNatsServer server = new TestNatsServer(store, List.copyOf(configLines), io.nats.NatsRunnerUtils.nextPort());
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client URL, e.g. {@code nats://127.0.0.1:4567}. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the process, keeping the JetStream store, so that {@link #restart()} resumes with the same data. */
    public void stop() {
        if (runner == null) {
            return;
        }
        try {
            runner.shutdown(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner = null;
        }
    }

    /** Starts the server again on the same port with the same store. */
    public void restart() {
        stop();
        launch();
    }

    private void launch() {
        try {
            List<String> inserts = new ArrayList<>(configLines);
            inserts.add("jetstream { store_dir: \"" + storeDir + "\" }");
            runner = NatsServerRunner.builder()
                    .executablePath(executable())
                    .port(port)
                    .configInserts(inserts)
                    .outputLevel(Level.WARNING)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start nats-server (" + executable() + ")", e);
        }
    }

    private static String executable() {
        String fromEnv = System.getenv("NATS_SERVER_PATH");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "/usr/sbin/nats-server";
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(storeDir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
