package dev.bazaar.kit;

import org.junit.jupiter.api.Test;

import dev.bazaar.testing.Await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM exits within the shutdown limit even when a part will not stop: a real JVM whose one part hangs for a
 * minute on close is sent SIGTERM and must be gone after its 1 s limit (exit code 1, the halt).
 */
class ShutdownWatchdogIT {
    /** The JVM under test: one part that hangs on close, a 1 s limit, then it waits to be stopped. */
    public static void main(String[] args) throws Exception {
        Launcher.installLogManager();
        Lifecycle lifecycle = new Lifecycle("hanging");
        AutoCloseable stuck = () -> Thread.sleep(60_000);
        lifecycle.add("stuck part", stuck);
        lifecycle.closeOnShutdown(Duration.ofSeconds(1));
        // Logged, as a service logs before it is ever stopped: the JDK sets up its handlers on the first line.
        java.util.logging.Logger.getLogger(ShutdownWatchdogIT.class.getName()).info("ready");
        Thread.sleep(120_000);
    }

    @Test
    void aPartThatWillNotStopIsCutOffAtTheLimit() throws Exception {
        Path output = Files.createTempFile("watchdog", ".log");
        Process jvm = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutdownWatchdogIT.class.getName()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            Await.until("the JVM to be ready", Duration.ofSeconds(20), () -> read(output).contains("ready"));
            long began = System.nanoTime();
            jvm.destroy(); // SIGTERM
            assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
            assertThat(jvm.exitValue()).as("halted, not stopped in order").isEqualTo(1);
            assertThat(read(output)).as("the shutdown is logged to its end")
                    .contains("hanging still stopping after PT1S: halting");
        } finally {
            jvm.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
