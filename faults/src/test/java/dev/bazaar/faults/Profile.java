package dev.bazaar.faults;

import java.time.Duration;
import java.util.Locale;

/**
 * How long and how hard the scenarios run: {@code short} in {@code make test} (a few seconds of load each, four
 * scenarios), {@code full} in {@code make test-faults} (every scenario, longer). Chosen by the system property
 * {@code faults.profile}, which the module's pom passes to failsafe.
 */
enum Profile {
    SHORT(10, Duration.ofSeconds(10), Duration.ofSeconds(60)),
    FULL(20, Duration.ofSeconds(40), Duration.ofSeconds(90));

    /**
     * Orders a second ({@code -Dfaults.rate} overrides it). The capacity measured here (docs/scaling.md, 2 shared cores)
     * is some 40-60 orders/s with one JVM per service; the harness runs six service JVMs, three nats-servers and
     * PostgreSQL on the same cores, often beside other builds, so the full profile takes about half of it and the short
     * one a quarter.
     */
    private final int rate;
    /** How long the load runs (the fault happens inside it). */
    final Duration load;
    /** How long after the load every acknowledged order has to be final. */
    final Duration deadline;

    Profile(int rate, Duration load, Duration deadline) {
        this.rate = rate;
        this.load = load;
        this.deadline = deadline;
    }

    int rate() {
        return Integer.getInteger("faults.rate", rate);
    }

    static Profile current() {
        return valueOf(System.getProperty("faults.profile", "short").toUpperCase(Locale.ROOT));
    }
}
