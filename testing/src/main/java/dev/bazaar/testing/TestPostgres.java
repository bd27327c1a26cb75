package dev.bazaar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own, for tests that restart or freeze it (the shared server at
 * {@code BAZAAR_TEST_DB_ADMIN_URL} serves every other test and must never be touched): a throwaway cluster made by
 * {@code initdb} in a temporary directory, listening on a free loopback port, deleted on {@link #close()}.
 * <p>
 * The binaries are {@code $BAZAAR_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's
 * {@code postgresql} package, which {@code scripts/lib.sh} {@code ensure_postgres} installs). PostgreSQL refuses to
 * run as root: as root, every command runs as the {@code postgres} OS user ({@code runuser}), which owns the
 * directory. The superuser is {@code bazaar}/{@code bazaar}, reached over TCP with a password, like the shared server.
 */
public final class TestPostgres implements AutoCloseable {
    private static final String USER = "bazaar";
    private static final String PASSWORD = "bazaar";
    private static final String OS_USER = "postgres";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asRoot;
    /** The processes frozen by {@link #pause()}: the postmaster and every backend it had then. */
    private List<ProcessHandle> paused = List.of();

    private TestPostgres(Path dir, Path bin, int port, boolean asRoot) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asRoot = asRoot;
    }

    /** Creates the cluster and starts it. */
    public static TestPostgres start() {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("bazaar-pg-");
            TestPostgres server = new TestPostgres(dir, binaries(), freePort(), asRoot);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::close));
            server.init();
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a PostgreSQL cluster", e);
        }
    }

    /** The JDBC URL of its {@code postgres} database (where databases are created). */
    public String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** An empty database on this server, dropped by its {@link TestDatabase#close()}. */
    public TestDatabase createDatabase(String label) {
        return TestDatabase.create(label, adminUrl(), USER, PASSWORD);
    }

    /** Stops the server cleanly (fast shutdown: sessions are ended, as by a restart), keeping its data. */
    public synchronized void stop() {
        resume();
        pgCtl("stop", "-m", "fast", "-w", "-t", "60");
    }

    /** Starts the server again after {@link #stop()}, on the same port with the same data. */
    public synchronized void startServer() {
        pgCtl("start", "-w", "-t", "120", "-l", dir.resolve("server.log").toString());
    }

    /**
     * Freezes the whole server with SIGSTOP: the postmaster and every backend (each its own process group, so they
     * are signalled one by one). Connections stay open, nothing answers, no new session starts.
     */
    public synchronized void pause() {
        if (!paused.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = postmaster();
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        // The postmaster first, so that no backend is forked after the list of them was taken: one forked just
        // then (a pool refilling) was left running, and a service whose connection it served stayed ready.
        signal("STOP", all);
        while (true) {
            List<ProcessHandle> backends = postmaster.descendants().filter(p -> !all.contains(p)).toList();
            if (backends.isEmpty()) {
                break;
            }
            try {
                signal("STOP", backends);
            } catch (IllegalStateException e) {
                // kill signals every pid it can; one that exited meanwhile makes it fail, and needs no freezing
            }
            all.addAll(backends);
        }
        paused = all;
    }

    /** SIGCONT to what {@link #pause()} froze. */
    public synchronized void resume() {
        if (paused.isEmpty()) {
            return;
        }
        signal("CONT", paused.stream().filter(ProcessHandle::isAlive).toList());
        paused = List.of();
    }

    /** Stops the server at once and deletes its directory. */
    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return;
        }
        resume();
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            pgCtl("stop", "-m", "immediate", "-w", "-t", "30");
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    private void init() throws IOException {
        Path data = dir.resolve("data");
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        if (asRoot) {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            Files.setOwner(dir, owner);
            Files.setOwner(passwordFile, owner);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        // Loopback only, its own socket directory, small; fsync off: a test server needs no crash safety of the OS.
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir + "'",
                "max_connections = 200",
                "shared_buffers = 32MB",
                "fsync = off",
                "full_page_writes = off",
                "log_min_messages = warning",
                ""), java.nio.file.StandardOpenOption.APPEND);
    }

    private ProcessHandle postmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).getFirst().trim());
            return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("PostgreSQL " + pid + " is gone"));
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL in " + dir + " is not running", e);
        }
    }

    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString()));
        command.addAll(List.of(args));
        run(command);
    }

    /** Runs a PostgreSQL command to its end (as the postgres OS user when root); fails with its output. */
    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed: " + output
                        + " (server log: " + dir.resolve("server.log") + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + full.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void signal(String signal, List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path binaries() {
        String fromEnv = System.getenv("BAZAAR_PG_BIN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries (initdb) under " + root
                            + ": install the postgresql package (make test does) or set BAZAAR_PG_BIN"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
