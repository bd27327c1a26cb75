package dev.bazaar.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a run, one row per scenario, printed as each scenario ends and appended to
 * {@code faults/target/faults-results.md} (a Markdown table under a header with the date, machine and profile: what
 * {@code docs/reliability.md} quotes). A failed scenario prints its offending order ids below its row.
 */
final class ResultsTable {
    static final String HEADER = "| scenario | rate/s | sent | 201 | 4xx | 5xx | no answer | retried | p50 ms | p99 ms"
            + " | max ms | lost | stuck | dup | stock | backlog s | replicas | result | notes |";
    private static final String RULE = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|---|";
    private static boolean headerWritten;

    private ResultsTable() {
    }

    static synchronized void add(SetChecker.Result result) {
        StringBuilder out = new StringBuilder();
        if (!headerWritten) {
            out.append("\n").append(machine()).append("\n\n").append(HEADER).append("\n").append(RULE).append("\n");
            headerWritten = true;
        }
        out.append(row(result)).append("\n");
        if (!result.passed()) {
            result.allFailures().forEach(failure -> out.append("    ").append(result.scenario).append(" FAILED: ")
                    .append(failure).append("\n"));
        }
        System.out.print(out);
        System.out.flush();
        try {
            Path file = Harness.root().resolve("faults/target/faults-results.md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String row(SetChecker.Result r) {
        OpenLoad load = r.load;
        Map<String, Long> outcomes = load.outcomeCounts();
        long clientErrors = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("4"))
                .mapToLong(Map.Entry::getValue).sum();
        long noAnswer = outcomes.getOrDefault("timeout", 0L) + outcomes.getOrDefault("io-error", 0L)
                + load.dropped.sum();
        return String.format(Locale.ROOT,
                "| %s | %d | %d | %d | %d | %d | %d | %d | %.0f | %.0f | %.0f | %d | %d | %d | %s | %s | %s | %s | %s |",
                r.scenario, r.rate, load.sent(), load.acknowledged.size(), clientErrors, load.serverErrors(), noAnswer,
                load.retries.sum(), load.percentileMillis(50), load.percentileMillis(99),
                load.latencyMicros.getMaxValue() / 1000.0, r.lost.size(), r.stuck.size(), r.duplicates.size(),
                r.stockViolations.isEmpty() && r.soldNotHeld.isEmpty() ? "ok" : "WRONG",
                r.backlogDrainedSeconds < 0 ? "never" : String.format(Locale.ROOT, "%.1f", r.backlogDrainedSeconds),
                r.streamsDiffer.isEmpty() ? "equal" : "DIFFER", r.passed() ? "pass" : "**FAIL**",
                String.join("; ", r.notes) + (outcomes.isEmpty() ? "" : (r.notes.isEmpty() ? "" : "; ") + outcomes));
    }

    private static String machine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        return String.format(Locale.ROOT, "Run %s on %s: %d cores, %s %s, Java %s; profile %s",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), host, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                Profile.current());
    }
}
