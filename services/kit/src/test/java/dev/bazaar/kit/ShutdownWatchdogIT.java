package dev.bazaar.kit;

import org.junit.jupiter.api.Test;

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
        Lifecycle lifecycle = new Lifecycle("hanging");
        lifecycle.add("stuck part", new Object(), () -> Thread.sleep(60_000));
        lifecycle.closeOnShutdown(Duration.ofSeconds(1));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void aPartThatWillNotStopIsCutOffAtTheLimit() throws Exception {
        Process jvm = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutdownWatchdogIT.class.getName()))
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(jvm.getInputStream().readNBytes(5))).isEqualTo("ready");
            long began = System.nanoTime();
            jvm.destroy(); // SIGTERM
            assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
            assertThat(jvm.exitValue()).as("halted, not stopped in order").isEqualTo(1);
        } finally {
            jvm.destroyForcibly();
        }
    }
}
