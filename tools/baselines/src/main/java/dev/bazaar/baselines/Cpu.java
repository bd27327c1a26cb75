package dev.bazaar.baselines;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM, all threads. */
final class Cpu {
    private Cpu() {
    }

    static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
