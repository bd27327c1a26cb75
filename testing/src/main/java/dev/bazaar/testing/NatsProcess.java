package dev.bazaar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operating-system process of a running nats-server, found from the pid file it writes at start (jnats' server
 * runner keeps its own handle private): signals for a clean stop, a crash, a freeze and a thaw, each returning once
 * the kernel shows the effect.
 */
final class NatsProcess {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ProcessHandle handle;
    private final String label;

    private NatsProcess(ProcessHandle handle, String label) {
        this.handle = handle;
        this.label = label;
    }

    /** The process whose pid is in {@code pidFile}. */
    static NatsProcess fromPidFile(Path pidFile, String label) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle handle = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException(label + " (pid " + pid + ") is not running"));
            return new NatsProcess(handle, label);
        } catch (IOException e) {
            throw new UncheckedIOException("no pid file for " + label + " at " + pidFile, e);
        }
    }

    /** SIGTERM (nats-server shuts down cleanly), then SIGKILL if it has not exited within the timeout. */
    void terminate() {
        handle.destroy();
        if (!exited()) {
            kill();
        }
    }

    /** SIGKILL, as a crash would: nothing is flushed or closed cleanly. */
    void kill() {
        handle.destroyForcibly();
        if (!exited()) {
            throw new IllegalStateException(label + " (pid " + handle.pid() + ") survived SIGKILL");
        }
    }

    /** SIGSTOP: sockets stay open, nothing answers. */
    void freeze() {
        signal("STOP");
        Await.until(label + " to be stopped by SIGSTOP", TIMEOUT, () -> "T".equals(state()));
    }

    /** SIGCONT after {@link #freeze()}. */
    void thaw() {
        signal("CONT");
        Await.until(label + " to run again after SIGCONT", TIMEOUT, () -> !"T".equals(state()));
    }

    private boolean exited() {
        try {
            handle.onExit().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Java has no API for SIGSTOP and SIGCONT: {@code kill(1)}. */
    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(handle.pid())).inheritIO().start();
            if (!kill.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + handle.pid() + " (" + label + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state letter of {@code /proc/<pid>/stat}: R running, S sleeping, T stopped...; null once gone. */
    private String state() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return stat.substring(end + 2, end + 3);
        } catch (IOException e) {
            return null;
        }
    }
}
