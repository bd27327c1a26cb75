package dev.bazaar.loadgen;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The end of a run: a table per operation, and the settings as the JSON result records them. */
final class Report {
    private Report() {
    }

    static void text(Results results, LoadSettings settings, Identity identity, PrintStream out) {
        double seconds = results.seconds();
        out.printf("%n%-13s %7s %8s %7s %8s %8s %8s %8s %8s  %s%n", "OPERATION", "COUNT", "RATE/s", "ERRORS",
                "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "OUTCOMES");
        results.operations().forEach((name, s) -> out.printf("%-13s %7d %8.1f %7d %8.1f %8.1f %8.1f %8.1f %8.1f  %s%n",
                name, s.count(), s.count() / seconds, s.errors(), s.percentileMillis(50), s.percentileMillis(90),
                s.percentileMillis(99), s.percentileMillis(99.9), s.maxMillis(), s.outcomes()));
        out.printf("%ntotal: %d operations in %.1f s = %.1f/s, %d errors, %d dropped (more than %d in flight),"
                        + " %d logins skipped%s%n", results.done(), seconds, results.done() / seconds, results.errors(),
                results.dropped.sum(), settings.maxInFlight(), results.skipped.sum(),
                identity.ready() ? "" : " (" + identity.unavailable() + ")");
    }

    static Map<String, Object> settings(LoadSettings settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", settings.scenario().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        json.put("loop", settings.closedLoop() ? "closed" : "open");
        json.put(settings.closedLoop() ? "connections" : "rate_per_s",
                settings.closedLoop() ? settings.connections() : settings.rate());
        json.put("duration_s", settings.duration().toMillis() / 1000.0);
        json.put("warmup_s", settings.warmup().toMillis() / 1000.0);
        json.put("users", settings.users());
        json.put("max_in_flight", settings.maxInFlight());
        json.put("timeout_s", settings.timeout().toMillis() / 1000.0);
        if (settings.scenario() == LoadSettings.Scenario.SAGA) {
            json.put("observe", settings.observe().name().toLowerCase(java.util.Locale.ROOT));
        }
        return json;
    }
}
