package dev.bazaar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.NatsRunnerUtils;
import io.nats.NatsServerRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

/**
 * A real nats-server with JetStream on a free port and its own store directory, for one test class or JVM, with its
 * monitoring endpoint on a second free port.
 * <p>
 * The binary is {@code $NATS_SERVER_PATH}, else {@code nats-server} on the PATH, else {@code /usr/sbin/nats-server}
 * (Debian's package). Extra configuration lines (users, permissions) may be passed as {@code configLines}. Besides a
 * clean {@link #stop()}, the process can be crashed ({@link #kill()}) and frozen ({@link #pause()}, {@link #resume()});
 * {@link #restart()} brings it back on the same ports with the same store. {@link TestNatsCluster} runs several as
 * one cluster.
 */
public final class TestNatsServer implements AutoCloseable {
    private static final Duration MONITOR_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final Path dir;
    private final List<String> configLines;
    private final int port;
    private final int monitorPort;
    private NatsServerRunner runner;
    private boolean paused;

    private TestNatsServer(String name, Path dir, List<String> configLines, int port, int monitorPort) {
        this.name = name;
        this.dir = dir;
        this.configLines = configLines;
        this.port = port;
        this.monitorPort = monitorPort;
    }

    /** Starts a server with JetStream and no authentication. */
    public static TestNatsServer start() {
        return start(List.of());
    }

    /** Starts a server with JetStream and the given extra configuration lines. */
    public static TestNatsServer start(List<String> configLines) {
        int port = freePort();
        int monitorPort = freePort();
        while (monitorPort == port) {
            monitorPort = freePort();
        }
        return start(null, port, monitorPort, configLines);
    }

    /** Starts a server named {@code name} (null: nats-server's own) on the given ports: a cluster's node. */
    static TestNatsServer start(String name, int port, int monitorPort, List<String> configLines) {
        try {
            TestNatsServer server = new TestNatsServer(name, Files.createTempDirectory("bazaar-nats-"),
                    List.copyOf(configLines), port, monitorPort);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try {
            return NatsRunnerUtils.nextPort();
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

    /** Its {@code server_name}, or null when nats-server chose one (a standalone server). */
    public String name() {
        return name;
    }

    /** The monitoring endpoint, e.g. {@code http://127.0.0.1:8222} ({@code /healthz}, {@code /varz}, {@code /jsz}). */
    public String monitorUrl() {
        return "http://127.0.0.1:" + monitorPort;
    }

    /** The directory holding the JetStream store ({@code jetstream/}); it survives stop, kill and restart. */
    public Path storeDir() {
        return dir;
    }

    /** True between a start and a stop or kill (a paused server is running). */
    public synchronized boolean isRunning() {
        return runner != null;
    }

    /** True while {@link #pause()}d. */
    public synchronized boolean isPaused() {
        return paused;
    }

    /**
     * Stops the process cleanly (SIGTERM; SIGKILL after 10 s), keeping the JetStream store, so that {@link #restart()}
     * resumes with the same data. A paused server is resumed first: a frozen process cannot act on SIGTERM.
     */
    public synchronized void stop() {
        if (runner == null) {
            return;
        }
        resume();
        process().terminate();
        forgetRunner();
    }

    /** Kills the process with SIGKILL, as a crash would: no clean shutdown of the store. Returns once it is gone. */
    public synchronized void kill() {
        if (runner == null) {
            return;
        }
        process().kill();
        paused = false;
        forgetRunner();
    }

    /** Freezes the process with SIGSTOP: its sockets stay open but nothing answers, as with a hung host. */
    public synchronized void pause() {
        if (runner != null && !paused) {
            process().freeze();
            paused = true;
        }
    }

    /** Lets a {@link #pause()}d process run again (SIGCONT). */
    public synchronized void resume() {
        if (runner != null && paused) {
            process().thaw();
            paused = false;
        }
    }

    /** Starts the server again on the same ports with the same store (after a stop or a kill, or while running). */
    public synchronized void restart() {
        stop();
        launch();
    }

    /**
     * True when its {@code /healthz} answers 200: accepting clients, JetStream up and, in a cluster, in contact with
     * the meta leader. False when stopped, paused or not ready.
     */
    public boolean healthy() {
        if (isPaused() || !isRunning()) {
            return false;
        }
        return monitor("/healthz").isPresent();
    }

    /** Waits until {@link #healthy()}. */
    public void awaitHealthy(Duration timeout) {
        Await.until(label() + " to be healthy (" + monitorUrl() + "/healthz)", timeout, this::healthy);
    }

    /** What this server holds of one stream (its own replica); empty if it has none or does not answer. */
    public Optional<StreamReplica> streamReplica(String stream) {
        if (isPaused() || !isRunning()) {
            return Optional.empty();
        }
        return monitor("/jsz?accounts=true&streams=true").flatMap(jsz -> StreamReplica.in(jsz, stream));
    }

    /** GET of a monitoring path, parsed; empty unless it answers 200 within a short timeout. */
    private Optional<JsonNode> monitor(String path) {
        try {
            var response = TestHttp.get(monitorUrl() + path, MONITOR_TIMEOUT);
            return response.statusCode() == 200 ? Optional.of(TestHttp.json(response)) : Optional.empty();
        } catch (UncheckedIOException e) {
            return Optional.empty(); // refused or timed out: not up
        }
    }

    private String label() {
        return name == null ? "nats-server " + url() : "nats-server " + name + " (" + url() + ")";
    }

    private void launch() {
        try {
            List<String> inserts = new ArrayList<>(configLines);
            if (name != null) {
                inserts.add("server_name: " + name);
            }
            inserts.add("http: 127.0.0.1:" + monitorPort);
            inserts.add("pid_file: \"" + pidFile() + "\"");
            inserts.add("jetstream { store_dir: \"" + dir + "\" }");
            runner = NatsServerRunner.builder()
                    .executablePath(executable())
                    .port(port)
                    .configInserts(inserts)
                    .outputLevel(Level.WARNING)
                    // A restart after kill -9 recovers the store before it listens: on two busy cores that took longer
                    // than the runner's default check, which then gave up and left the server running untracked.
                    .connectValidateTries(120)
                    .connectValidateSubsequentDelay(250L)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start nats-server (" + executable() + ")", e);
        }
    }

    private Path pidFile() {
        return dir.resolve("nats-server.pid");
    }

    private NatsProcess process() {
        return NatsProcess.fromPidFile(pidFile(), label());
    }

    /** The process is gone: the runner's own handle of it only needs letting go of. */
    private void forgetRunner() {
        try {
            runner.shutdown(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner = null;
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

    /** Stops the server (SIGKILL if it will not stop) and deletes its store. */
    @Override
    public void close() {
        stop();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
