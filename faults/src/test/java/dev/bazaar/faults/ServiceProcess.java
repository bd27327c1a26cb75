package dev.bazaar.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service instance as its own JVM process, started from its packaged jar ({@code services/<s>/target/<s>.jar},
 * what {@code scripts/lib.sh}'s {@code start_service} runs) on a fixed free port, so that a restart comes back at the
 * same address. Its configuration goes in as {@code -D} properties (the kit's {@code ServiceConfig} reads them under
 * the environment), and the environment is emptied first so that nothing of the test JVM's leaks in. Output goes to
 * {@code target/faults-logs/<name>.log}. It can be crashed (SIGKILL), stopped (SIGTERM, timed), frozen (SIGSTOP),
 * thawed and started again.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Small and quick to start: six of these share two cores with the test and three nats-servers. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    final String name;
    final String service;
    final int port;
    private final Map<String, String> config;
    private final Map<String, String> environment;
    private Process process;
    private int starts;

    ServiceProcess(String name, String service, Map<String, String> config, Map<String, String> environment) {
        this.name = name;
        this.service = service;
        this.port = freePort();
        this.config = new LinkedHashMap<>(config);
        this.config.put("server.port", Integer.toString(port));
        this.config.put("server.host", "127.0.0.1");
        this.environment = new LinkedHashMap<>(environment);
    }

    /** Starts the process; {@link #awaitReady()} waits for its readiness. */
    synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(Harness.root().resolve("services/" + service + "/target/" + service + ".jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("OTEL_SERVICE_NAME", service);
        builder.environment().put("OTEL_TRACES_EXPORTER", "none");
        builder.environment().putAll(environment);
        try {
            Path log = logFile();
            Files.createDirectories(log.getParent());
            builder.redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile())
                    : ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        return this;
    }

    /** Sets (null: unsets) a configuration key for the next {@link #start()} (e.g. a shorter hold TTL). */
    synchronized void configure(String key, String value) {
        if (value == null) {
            config.remove(key); // back to application.yaml's default
        } else {
            config.put(key, value);
        }
    }

    /** Sets an environment variable for the next {@link #start()} (e.g. {@code OTEL_*}). */
    synchronized void environment(String name, String value) {
        environment.put(name, value);
    }

    /** The resident set size in MiB, from {@code /proc/<pid>/status}; -1 when not running. */
    synchronized long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Waits until {@code /observe/health/ready} answers 200. */
    ServiceProcess awaitReady() {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready;"
                        + " see " + logFile());
            }
            if (ready()) {
                return this;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + READY + "; see " + logFile());
    }

    boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/observe/health/ready")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash: returns once the process is gone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /**
     * SIGTERM, and how long the process took to exit; SIGKILL after {@code limit} (then the result is longer than
     * {@code limit}).
     */
    synchronized Duration terminate(Duration limit) {
        if (process == null || !process.isAlive()) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        process.destroy();
        if (!waitFor(limit)) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGSTOP: its sockets stay open, nothing answers. */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() {
        signal("CONT");
    }

    Path logFile() {
        return Harness.root().resolve("faults/target/faults-logs/" + name + ".log");
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (isAlive()) {
            resume();
            terminate(Duration.ofSeconds(15));
        }
    }

    /** A port nothing listens on (free a moment ago): a backend that is down. */
    static int closedPort() {
        return freePort();
    }

    /** A port free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
