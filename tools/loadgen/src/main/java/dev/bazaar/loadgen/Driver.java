package dev.bazaar.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operations of a {@link Traffic}: an unrecorded warm-up, then the measured phase, either as an open loop or
 * as a closed loop.
 * <ul>
 *   <li><b>Open loop</b> ({@code --rate}): operation {@code i} is due at {@link Schedule#due}, runs on its own virtual
 *   thread and its latency counts from that due time (coordinated omission corrected). At most {@code maxInFlight}
 *   run at once; one due while that many are still waiting is not sent and counted as {@code dropped} (the system is
 *   not keeping up at this rate).</li>
 *   <li><b>Closed loop</b> ({@code --connections N}): N workers each send their next request when the last one
 *   answered, for peak throughput. Latency counts from each send: at saturation it is mostly queueing.</li>
 * </ul>
 */
final class Driver {
    private static final long SECOND = 1_000_000_000L;

    private final LoadSettings settings;
    private final Traffic traffic;
    private final PrintStream progress;

    Driver(LoadSettings settings, Traffic traffic, PrintStream progress) {
        this.settings = settings;
        this.traffic = traffic;
        this.progress = progress;
    }

    /** The warm-up (if any), then the measured phase, whose results are returned. */
    Results run() throws InterruptedException, IOException {
        if (!settings.warmup().isZero()) {
            phase(settings.warmup(), new Results(), "warm-up");
        }
        if (settings.measuredMark() != null) {
            // tells a process watching from outside (make bench's CPU sampler) that the measured phase starts now
            Files.writeString(settings.measuredMark(), Instant.now() + "\n");
        }
        Results measured = new Results();
        phase(settings.duration(), measured, "measured");
        traffic.finish(measured);
        return measured;
    }

    private void phase(Duration length, Results results, String name) throws InterruptedException {
        long start = System.nanoTime();
        if (settings.closedLoop()) {
            closedLoop(start, length.toNanos(), results, name);
        } else {
            openLoop(new Schedule(start, settings.rate()), length.toNanos(), results, name);
        }
        results.finished(System.nanoTime() - start);
    }

    private void openLoop(Schedule schedule, long length, Results results, String name) throws InterruptedException {
        Semaphore inFlight = new Semaphore(settings.maxInFlight());
        long total = schedule.operationsIn(length);
        long nextProgress = schedule.startNanos() + SECOND;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long due = schedule.due(i);
                long now;
                while ((now = System.nanoTime()) < due) {
                    if (now >= nextProgress) {
                        report(name, now - schedule.startNanos(), results,
                                settings.maxInFlight() - inFlight.availablePermits());
                        nextProgress += SECOND;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 1_000_000L));
                }
                if (!inFlight.tryAcquire()) {
                    results.dropped.increment();
                    continue;
                }
                workers.execute(() -> {
                    try {
                        traffic.run(due, results);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            awaitBounded(workers);
        }
    }

    private void closedLoop(long start, long length, Results results, String name) throws InterruptedException {
        long end = start + length;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < settings.connections(); c++) {
                workers.execute(() -> {
                    while (System.nanoTime() < end) {
                        traffic.run(System.nanoTime(), results);
                    }
                });
            }
            long nextProgress = start + SECOND;
            while (System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(50);
                if (System.nanoTime() >= nextProgress) {
                    report(name, System.nanoTime() - start, results, settings.connections());
                    nextProgress += SECOND;
                }
            }
            awaitBounded(workers);
        }
    }

    /** Bounded in time: whatever is still waiting after the request timeout has timed out anyway. */
    private void awaitBounded(ExecutorService workers) throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        workers.shutdownNow();
    }

    private void report(String phase, long elapsed, Results results, int inFlight) {
        progress.printf("  %-8s %3ds  done %7d  errors %5d  in flight %4d  dropped %5d%n", phase, elapsed / SECOND,
                results.done(), results.errors(), inFlight, results.dropped.sum());
    }
}
