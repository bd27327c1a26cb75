package dev.bazaar.faults;

import dev.bazaar.testing.TestNatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault scenarios of issue 9, on one {@link Harness} (six service JVMs, three nats-servers), one after the other:
 * open-loop load, a fault inside it, then the {@link SetChecker} over everything the run acknowledged. Each scenario
 * restores what it broke, so the next starts from a whole system; the checker's global invariants (stock, duplicates,
 * stuck orders) then cover every earlier scenario too. The short profile ({@code make test}) runs a, d, h, i; the full
 * one ({@code make test-faults}) all of them, longer. Every run prints its row of the results table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultScenariosIT {
    static final Profile PROFILE = Profile.current();
    static final Duration SIGTERM_LIMIT = Duration.ofSeconds(15);
    static Harness harness;

    @BeforeAll
    static void start() {
        harness = Harness.start();
        // Warm-up, checked only by the global invariants later: freshly started JVMs answer the first orders slowly.
        new OpenLoad(harness.instances("orders"), harness.productIds(), harness::customerToken)
                .start(5, Duration.ofSeconds(5)).awaitEnd();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A fault: what happens a third into the load (notes and failed criteria go into {@code notes}). */
    interface Fault {
        void inject(SetChecker.Result notes) throws Exception;
    }

    /** What brings the system back after the load, before the check (restarted JVMs take long on two cores). */
    interface Restore {
        void run() throws Exception;

        Restore NOTHING = () -> { };
    }

    @Test
    @Order(1)
    void a_steadyLoad() {
        // Not a latency test, but a steady run that mostly fails to place orders proves nothing either.
        passes(run("a steady load", notes -> { }, Restore.NOTHING, result -> {
            if (result.load.acknowledged.size() * 2L < result.load.sent()) {
                result.failures.add("under half the orders acknowledged: " + result.load.outcomeCounts());
            }
        }));
    }

    @Test
    @Order(2)
    void d_killOneOrdersThenOnePaymentsInstance() {
        passes(run("d kill -9 orders-1, then payments-1", notes -> {
            ServiceProcess orders = harness.instance("orders", 0);
            ServiceProcess payments = harness.instance("payments", 0);
            orders.kill();
            sleep(third());
            payments.kill();
        }, () -> {
            // Back for the next scenarios, after the survivors did the work.
            ServiceProcess orders = harness.instance("orders", 0);
            ServiceProcess payments = harness.instance("payments", 0);
            orders.start();
            payments.start();
            Harness.awaitAll(List.of(orders, payments));
        }, result -> { }));
    }

    @Test
    @Order(3)
    void h_sigtermEachServiceMidLoad() {
        SetChecker.Result result = run("h SIGTERM each service", notes -> {
            for (ServiceProcess process : List.of(harness.instance("orders", 0), harness.instance("payments", 0),
                    harness.instance("notifications", 0), harness.instance("catalog", 0))) {
                Duration exit = process.terminate(SIGTERM_LIMIT.plusSeconds(5));
                notes.notes.add(process.name + " exit " + String.format(Locale.ROOT, "%.1f s", exit.toMillis() / 1000.0));
                if (exit.compareTo(SIGTERM_LIMIT) >= 0) {
                    notes.failures.add(process.name + " took " + exit + " to exit after SIGTERM (limit " + SIGTERM_LIMIT + ")");
                }
                process.start();
            }
        }, () -> Harness.awaitAll(harness.all()), noCriteria -> { });
        passes(result);
    }

    @Test
    @Order(4)
    @KnownGap("gap 1: catalog's sweeper releases the stock of an order whose payment came after the hold expired,"
            + " and orders still confirms it (StockService.confirm only logs)")
    void i_holdExpiresBeforePayment() {
        ServiceProcess catalog = harness.instance("catalog", 0);
        restartWith(catalog, "catalog.reservations.ttl", "PT2S");
        try {
            passes(run("i hold TTL 2 s < payment latency 6 s", notes -> {
                // Payment latency: both payments instances frozen for longer than the hold lives.
                harness.instances("payments").forEach(ServiceProcess::pause);
                sleep(6_000);
                harness.instances("payments").forEach(ServiceProcess::resume);
            }, Restore.NOTHING, result -> { }));
        } finally {
            restartWith(catalog, "catalog.reservations.ttl", "PT15M");
        }
    }

    @Test
    @Order(5)
    @FullOnly
    void b_killStreamLeaderThenFollower() {
        SetChecker.Result result = run("b kill -9 ORDERS leader, then a follower (10 s each)", notes -> {
            TestNatsServer leader = harness.cluster.streamLeader("ORDERS", Duration.ofSeconds(10));
            notes.notes.add("leader " + leader.name());
            leader.kill();
            sleep(10_000);
            leader.restart();
            harness.cluster.awaitHealthy(Duration.ofSeconds(60));
            TestNatsServer follower = harness.cluster.streamFollowers("ORDERS", Duration.ofSeconds(30)).getFirst();
            notes.notes.add("follower " + follower.name());
            follower.kill();
            sleep(10_000);
            follower.restart();
            harness.cluster.awaitHealthy(Duration.ofSeconds(60));
        }, Restore.NOTHING, FaultScenariosIT::noServerErrors);
        passes(result);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Runs a scenario: load, the fault a third into it, load for at least another third, {@code restore}, the check;
     * {@code criteria} adds the scenario's own failed criteria to the result before it is tabled.
     */
    private static SetChecker.Result run(String scenario, Fault fault, Restore restore,
                                         Consumer<SetChecker.Result> criteria) {
        OpenLoad load = new OpenLoad(harness.instances("orders"), harness.productIds(), harness::customerToken)
                .start(PROFILE.rate());
        long start = System.nanoTime();
        SetChecker.Result notes = new SetChecker.Result(scenario, PROFILE.rate(), load);
        sleep(third());
        try {
            fault.inject(notes);
        } catch (Exception e) {
            load.stop().awaitEnd();
            throw new IllegalStateException(scenario + ": the fault itself failed", e);
        }
        // The load goes on for the profile's duration, and at least a third of it after the fault is over.
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        sleep(Math.max(PROFILE.load.toMillis() - elapsed, third()));
        load.stop().awaitEnd();
        try {
            restore.run();
        } catch (Exception e) {
            throw new IllegalStateException(scenario + ": restoring the system failed", e);
        }
        SetChecker.Result result = SetChecker.check(scenario, harness, load, PROFILE.rate(), PROFILE.deadline);
        result.notes.addAll(notes.notes);
        result.failures.addAll(notes.failures);
        criteria.accept(result);
        ResultsTable.add(result);
        return result;
    }

    private static long third() {
        return PROFILE.load.toMillis() / 3;
    }

    private static void passes(SetChecker.Result result) {
        List<String> failures = new ArrayList<>(result.allFailures());
        assertThat(result.load.acknowledged).as(result.scenario + ": some orders acknowledged").isNotEmpty();
        assertThat(failures).as(result.scenario + " (row: " + ResultsTable.row(result) + ")").isEmpty();
    }

    private static void noServerErrors(SetChecker.Result result) {
        if (result.load.serverErrors() > 0) {
            result.failures.add(result.load.serverErrors() + " 5xx answers to POST /orders");
        }
    }

    private static void restartWith(ServiceProcess process, String key, String value) {
        process.terminate(SIGTERM_LIMIT);
        process.configure(key, value);
        process.start().awaitReady();
    }

    private static void sleep(long millis) {
        ServiceProcess.sleep(millis);
    }
}
