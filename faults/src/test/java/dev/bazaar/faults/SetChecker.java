package dev.bazaar.faults;

import dev.bazaar.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the system promised against what it did, read from the services' own databases once the load has ended:
 * <ul>
 *     <li>lost = acknowledged (201) orders that are not CONFIRMED or CANCELLED by the deadline; stuck = any order
 *     still PLACED then (acknowledged or not: a retried request may have placed one the client never heard of);</li>
 *     <li>duplicates: two payments, two payment events or two events of one kind for one order, two final entries
 *     in an order's history, two orders for one Idempotency-Key;</li>
 *     <li>stock conservation per product: initial − sold (CONFIRMED orders' quantities) − still held = current;
 *     and every CONFIRMED order's hold is CONFIRMED at catalog (not released: gap 1);</li>
 *     <li>holds past their bound (HELD after their expiry plus the sweep);</li>
 *     <li>the outbox backlog drained (seconds after the load); the three servers' replicas of ORDERS and PAYMENTS equal.</li>
 * </ul>
 */
final class SetChecker {
    private static final Duration BACKLOG_BOUND = Duration.ofSeconds(30);

    private SetChecker() {
    }

    /**
     * How many answers took over {@link OpenLoad#SLOW} and in which seconds of the load they were due, e.g.
     * "14 over 250 ms, due in s 0-2 (12), 21 (2)": a tail from a fault, from a cold start or from the machine.
     */
    static Optional<String> slowNote(OpenLoad load) {
        Map<Long, Long> bySecond = new TreeMap<>();
        load.slowDueAt.forEach(at -> bySecond.merge((long) Math.floor(at), 1L, Long::sum));
        if (bySecond.isEmpty()) {
            return Optional.empty();
        }
        List<String> runs = new ArrayList<>();
        long first = -2;
        long last = -2;
        long count = 0;
        for (Map.Entry<Long, Long> e : bySecond.entrySet()) {
            if (e.getKey() != last + 1 && first >= 0) {
                runs.add((first == last ? "" + first : first + "-" + last) + " (" + count + ")");
                count = 0;
            }
            if (e.getKey() != last + 1) {
                first = e.getKey();
            }
            last = e.getKey();
            count += e.getValue();
        }
        runs.add((first == last ? "" + first : first + "-" + last) + " (" + count + ")");
        long total = bySecond.values().stream().mapToLong(Long::longValue).sum();
        return Optional.of(total + " over " + OpenLoad.SLOW.toMillis() + " ms, due in s "
                + String.join(", ", runs));
    }

    /** Waits for the saga to settle (at most {@code deadline} after the load), then checks. */
    static Result check(String scenario, Harness harness, OpenLoad load, int rate, Duration deadline) {
        TestDatabase orders = harness.database("orders");
        TestDatabase payments = harness.database("payments");
        TestDatabase catalog = harness.database("catalog");
        Set<String> acknowledged = load.acknowledgedIds();
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        double drainedSeconds = -1;
        long placed;
        long heldForFinal;
        while (true) {
            long backlog = backlog(orders) + backlog(payments);
            if (backlog == 0 && drainedSeconds < 0) {
                drainedSeconds = (System.nanoTime() - start) / 1e9;
            }
            placed = Sql.count(orders, "SELECT count(*) FROM orders WHERE status = 'PLACED'");
            heldForFinal = placed == 0 ? heldForFinalOrders(orders, catalog) : -1;
            boolean settled = placed == 0 && heldForFinal == 0;
            if ((settled && drainedSeconds >= 0) || System.nanoTime() > end) {
                break;
            }
            ServiceProcess.sleep(500);
        }
        Result result = new Result(scenario, rate, load);
        result.backlogDrainedSeconds = drainedSeconds;
        if (placed == 0 && heldForFinal == 0) {
            result.notes.add(String.format(java.util.Locale.ROOT, "settled %.1f s after the load",
                    (System.nanoTime() - start) / 1e9));
        } else {
            result.notes.add("not settled " + deadline.toSeconds() + " s after the load: " + placed + " PLACED, "
                    + (heldForFinal < 0 ? "holds not looked at" : heldForFinal + " holds of final orders still out"));
        }
        slowNote(load).ifPresent(result.notes::add);
        if (drainedSeconds < 0 || drainedSeconds > BACKLOG_BOUND.toSeconds()) {
            result.failures.add("outbox backlog not drained within " + BACKLOG_BOUND.toSeconds() + " s");
        }

        Map<String, String> status = Sql.map(orders, "SELECT id::text, status FROM orders");
        for (String id : acknowledged) {
            String s = status.get(id);
            if (!"CONFIRMED".equals(s) && !"CANCELLED".equals(s)) {
                result.lost.add(id + (s == null ? " (missing)" : " (" + s + ")"));
            }
        }
        status.forEach((id, s) -> {
            if ("PLACED".equals(s)) {
                result.stuck.add(id + (acknowledged.contains(id) ? "" : " (never acknowledged)"));
            }
        });

        duplicates(result, payments, "two payments", "SELECT order_id::text FROM payments GROUP BY 1 HAVING count(*) > 1");
        duplicates(result, payments, "two payment events", "SELECT payload::jsonb->>'orderId' FROM messaging_outbox"
                + " GROUP BY 1 HAVING count(*) > 1");
        duplicates(result, orders, "two events of a kind", "SELECT subject || ' ' || (payload::jsonb->>'orderId')"
                + " FROM messaging_outbox GROUP BY subject, payload::jsonb->>'orderId' HAVING count(*) > 1");
        duplicates(result, orders, "two final states", "SELECT order_id::text FROM order_status_history"
                + " WHERE status IN ('CONFIRMED', 'CANCELLED') GROUP BY 1 HAVING count(*) > 1");
        String keyColumn = idempotencyKeyColumn(orders);
        if (keyColumn != null) {
            duplicates(result, orders, "two orders for one key", "SELECT " + keyColumn + " FROM orders WHERE "
                    + keyColumn + " IS NOT NULL GROUP BY 1 HAVING count(*) > 1");
        }

        stock(result, harness, orders, catalog, status);
        Set<String> orphans = new HashSet<>(Sql.column(catalog, "SELECT order_id::text FROM reservations WHERE status = 'HELD'"
                + " AND created_at < now() - interval '10 seconds'"));
        orphans.removeAll(status.keySet());
        result.orphanHolds.addAll(orphans);
        if (!orphans.isEmpty()) {
            result.notes.add(orphans.size() + " holds of orders never placed");
        }
        result.holdsPastBound.addAll(Sql.column(catalog, "SELECT order_id::text FROM reservations WHERE status = 'HELD'"
                + " AND expires_at < now() - interval '5 seconds'"));

        for (String stream : List.of("ORDERS", "PAYMENTS")) {
            try {
                harness.cluster.awaitReplicasAgree(stream, Duration.ofSeconds(30));
            } catch (RuntimeException | AssertionError e) {
                result.streamsDiffer.add(stream + ": " + harness.cluster.replicas(stream));
            }
        }
        return result;
    }

    private static void stock(Result result, Harness harness, TestDatabase orders, TestDatabase catalog,
                              Map<String, String> status) {
        Map<String, Long> sold = Sql.longs(orders, "SELECT l.product_id::text, sum(l.quantity) FROM order_lines l"
                + " JOIN orders o ON o.id = l.order_id WHERE o.status = 'CONFIRMED' GROUP BY 1");
        Map<String, Long> held = Sql.longs(catalog, "SELECT l.product_id::text, sum(l.quantity) FROM reservation_lines l"
                + " JOIN reservations r ON r.order_id = l.order_id WHERE r.status = 'HELD' GROUP BY 1");
        Map<String, Long> current = Sql.longs(catalog, "SELECT id::text, stock FROM products");
        harness.initialStock.forEach((product, initial) -> {
            long expected = initial - sold.getOrDefault(product, 0L) - held.getOrDefault(product, 0L);
            long now = current.getOrDefault(product, -1L);
            // A scenario is judged on what it changed: an error an earlier one left is carried, not counted again.
            long before = harness.stockErrors.getOrDefault(product, 0L);
            if (now - expected != before) {
                result.stockViolations.add(product + ": initial " + initial + " - sold " + sold.getOrDefault(product, 0L)
                        + " - held " + held.getOrDefault(product, 0L) + " = " + expected + ", but stock is " + now
                        + (before == 0 ? "" : " (" + before + " off before this scenario)"));
                harness.stockErrors.put(product, now - expected);
            } else if (before != 0) {
                result.notes.add("stock of " + product + " still off by " + before + " from an earlier scenario");
            }
        });
        Map<String, String> reservation = Sql.map(catalog, "SELECT order_id::text, status FROM reservations");
        if (!result.stockViolations.isEmpty()) {
            // Which stock movements explain it: holds whose state does not match their order's.
            Map<String, List<String>> odd = new TreeMap<>();
            reservation.forEach((id, hold) -> {
                String order = status.get(id);
                String kind = order == null ? ("CONFIRMED".equals(hold) ? "committed hold, no order" : null)
                        : "CANCELLED".equals(order) && "CONFIRMED".equals(hold) ? "committed hold, order CANCELLED"
                        : !"PLACED".equals(order) && "HELD".equals(hold) ? "held, order " + order
                        : null;
                if (kind != null) {
                    odd.computeIfAbsent(kind, k -> new ArrayList<>()).add(id);
                }
            });
            odd.forEach((kind, ids) -> result.stockViolations.add(ids.size() + " " + kind + ": "
                    + String.join(", ", ids.subList(0, Math.min(20, ids.size())))));
        }
        status.forEach((id, s) -> {
            String hold = reservation.get(id);
            if ("CONFIRMED".equals(s) && !"CONFIRMED".equals(hold) && harness.soldNotHeld.add(id)) {
                result.soldNotHeld.add(id + " (hold " + hold + ")");
            }
        });
    }

    private static void duplicates(Result result, TestDatabase db, String kind, String sql) {
        for (String id : Sql.column(db, sql)) {
            result.duplicates.add(kind + ": " + id);
        }
    }

    /**
     * Holds of orders that are final already, and committed holds of cancelled orders: catalog has not applied their
     * outcome event yet (after a JetStream data loss it consumes every republished event again, minutes of them).
     */
    private static long heldForFinalOrders(TestDatabase orders, TestDatabase catalog) {
        Set<String> held = new HashSet<>(Sql.column(catalog, "SELECT order_id::text FROM reservations WHERE status = 'HELD'"));
        if (!held.isEmpty()) {
            held.retainAll(Sql.column(orders, "SELECT id::text FROM orders WHERE status <> 'PLACED'"));
        }
        Set<String> committed = new HashSet<>(Sql.column(catalog,
                "SELECT order_id::text FROM reservations WHERE status = 'CONFIRMED'"));
        if (!committed.isEmpty()) {
            committed.retainAll(Sql.column(orders, "SELECT id::text FROM orders WHERE status = 'CANCELLED'"));
        }
        return held.size() + committed.size();
    }

    private static long backlog(TestDatabase db) {
        return Sql.count(db, "SELECT count(*) FROM messaging_outbox WHERE published_at IS NULL");
    }

    /** The column orders keeps an Idempotency-Key in, once the service stores one (issue 9 gap 7); else null. */
    private static String idempotencyKeyColumn(TestDatabase orders) {
        List<String> columns = Sql.column(orders, "SELECT column_name FROM information_schema.columns"
                + " WHERE table_name = 'orders' AND column_name LIKE '%idempotency%'");
        return columns.isEmpty() ? null : columns.getFirst();
    }

    /** The outcome of one scenario run: the numbers of the table, the offending ids, the failed criteria. */
    static final class Result {
        final String scenario;
        final int rate;
        final OpenLoad load;
        final List<String> lost = new ArrayList<>();
        final List<String> stuck = new ArrayList<>();
        final List<String> duplicates = new ArrayList<>();
        final List<String> stockViolations = new ArrayList<>();
        final List<String> soldNotHeld = new ArrayList<>();
        final Set<String> holdsPastBound = new HashSet<>();
        /**
         * Holds of orders that do not exist (a reserve that committed after orders gave up on it: gap 4); a criterion
         * of scenario f only, since until their TTL they also follow every later scenario.
         */
        final Set<String> orphanHolds = new HashSet<>();
        final List<String> streamsDiffer = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        double backlogDrainedSeconds;

        Result(String scenario, int rate, OpenLoad load) {
            this.scenario = scenario;
            this.rate = rate;
            this.load = load;
        }

        /** The criteria every scenario shares: nothing lost or stuck or doubled, stock conserved, replicas equal. */
        List<String> allFailures() {
            List<String> all = new ArrayList<>(failures);
            criterion(all, lost, "lost");
            criterion(all, stuck, "stuck (PLACED after the deadline)");
            criterion(all, duplicates, "duplicates");
            criterion(all, stockViolations, "stock not conserved");
            criterion(all, soldNotHeld, "confirmed orders whose stock was released");
            criterion(all, new ArrayList<>(holdsPastBound), "holds past their bound");
            criterion(all, streamsDiffer, "stream replicas differ");
            return all;
        }

        boolean passed() {
            return allFailures().isEmpty();
        }

        private static void criterion(List<String> all, List<String> ids, String what) {
            if (!ids.isEmpty()) {
                all.add(ids.size() + " " + what + ": " + String.join(", ", ids.subList(0, Math.min(20, ids.size())))
                        + (ids.size() > 20 ? ", ..." : ""));
            }
        }
    }
}
