package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's guarantees of docs/reliability.md ("Saga guarantees", issue 9 gaps 1, 2 and 4), each with the fault
 * that broke it, on the real services, a real nats-server and real PostgreSQL databases.
 */
class SagaGuaranteesIT {
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Gap 4: catalog is slow (the product row locked), orders answers 504 at its timeout and releases; that release
     * runs while the slow reserve is still open. Once the reserve commits, its hold must be released at once, not
     * left until expiry (15 minutes here).
     */
    @Test
    void anOrderThatTimedOutAtASlowCatalogHoldsNoStock() throws Exception {
        try (SystemUnderTest system = SystemUnderTest.start("hold")) {
            RunningApp catalog = system.start("catalog", dev.bazaar.catalog.Main::start, SPANS,
                    Map.of("catalog.reservations.ttl", "PT15M"));
            RunningApp orders = system.start("orders", dev.bazaar.orders.Main::start, SPANS,
                    Map.of("orders.catalog.timeout", "PT0.5S"));
            String product = createProduct(system, catalog, 3);
            TestDatabase catalogDb = system.database("catalog");
            try (Connection lock = catalogDb.connect()) {
                lock.setAutoCommit(false);
                try (var select = lock.prepareStatement("SELECT stock FROM products WHERE id = ? FOR UPDATE")) {
                    select.setObject(1, UUID.fromString(product));
                    select.executeQuery().close();
                }
                TestHttp.assertProblem(place(system, orders, product, "tok_visa"), 504, "did not answer in time");
                // Waiting on the lock: the reserve, its one resend at half the timeout (RequestClient hedges an
                // idempotent request once), so a third waiter is orders' release.
                Await.until("orders' release to wait behind the slow reserve", WAIT,
                        () -> waitingOnLocks(catalogDb) >= 3);
                lock.commit();
            }
            Await.until("the slow reserve to commit, and its hold to be released at once", Duration.ofSeconds(10),
                    () -> !reservationStatuses(catalogDb, product).isEmpty()
                            && reservationStatuses(catalogDb, product).stream().allMatch("RELEASED"::equals));
            assertThat(stock(catalog, product)).as("the timed-out order's stock is back").isEqualTo(3);
        }
    }

    /**
     * Gap 1: catalog did not take order A's order-placed in time (here its database refuses to confirm holds) and
     * A's one-second hold lapsed; the unit went back on the shelf and order B took it. When payments comes, A must
     * not be charged nor confirmed: the unit is B's. Stock is conserved: one unit, one confirmed order.
     */
    @Test
    void anOrderWhoseHoldLapsedAndWasSoldIsNotChargedAndTheStockStaysSold() throws Exception {
        try (SystemUnderTest system = SystemUnderTest.start("lapse")) {
            RunningApp catalog = system.start("catalog", dev.bazaar.catalog.Main::start, SPANS,
                    Map.of("catalog.reservations.ttl", "PT1S", "catalog.reservations.sweep-interval", "PT0.2S"));
            RunningApp orders = system.start("orders", dev.bazaar.orders.Main::start, SPANS);
            String product = createProduct(system, catalog, 1);
            TestDatabase catalogDb = system.database("catalog");
            execute(catalogDb, refuseConfirm(""));
            execute(catalogDb, "CREATE TRIGGER refuse_confirm BEFORE UPDATE ON reservations FOR EACH ROW "
                    + "EXECUTE FUNCTION refuse_confirm()");
            String a = id(place(system, orders, product, "tok_visa"), 201);
            Await.until("A's hold to lapse, its unit back on the shelf", WAIT, () -> stock(catalog, product) == 1);
            // From now on only A's order-placed fails at catalog (else its retry could take the unit again first).
            execute(catalogDb, refuseConfirm("AND NEW.order_id = '" + a + "'"));
            String b = id(place(system, orders, product, "tok_visa"), 201);
            Await.until("catalog to commit B's hold", WAIT,
                    () -> "CONFIRMED".equals(reservationStatus(catalogDb, b)));
            execute(catalogDb, "DROP TRIGGER refuse_confirm ON reservations");
            assertThat(stock(catalog, product)).isZero();

            RunningApp payments = system.start("payments", dev.bazaar.payments.Main::start, SPANS);

            JsonNode cancelled = awaitStatus(system, orders, a, "CANCELLED");
            assertThat(cancelled.get("history").get(1).get("reason").asText()).contains("no longer held");
            awaitStatus(system, orders, b, "CONFIRMED");
            assertThat(stock(catalog, product)).as("the unit stays sold to B").isZero();
            assertThat(payment(system, payments, a).get("status").asText()).as("A never charged").isEqualTo("DECLINED");
            assertThat(payment(system, payments, b).get("status").asText()).isEqualTo("AUTHORIZED");
        }
    }

    /**
     * Gap 2: payments is not running (its events could as well be dead-lettered or lost), so the order would stay
     * PLACED forever. At the saga deadline (2 s here) it is cancelled with the reason, its stock comes back, the
     * metric counts it; and when payments comes back later it does not charge the cancelled order.
     */
    @Test
    void anOrderStuckPlacedIsCancelledAtTheSagaDeadlineAndNeverChargedAfterwards() throws Exception {
        try (SystemUnderTest system = SystemUnderTest.start("deadline")) {
            RunningApp catalog = system.start("catalog", dev.bazaar.catalog.Main::start, SPANS);
            RunningApp orders = system.start("orders", dev.bazaar.orders.Main::start, SPANS,
                    Map.of("orders.saga.deadline", "PT2S", "orders.saga.sweep-interval", "PT0.2S"));
            String product = createProduct(system, catalog, 5);
            String stuck = id(place(system, orders, product, "tok_visa"), 201);
            assertThat(stock(catalog, product)).isEqualTo(4);

            JsonNode cancelled = awaitStatus(system, orders, stuck, "CANCELLED");
            assertThat(cancelled.get("history").get(1).get("reason").asText())
                    .isEqualTo("saga deadline: no payment outcome within PT2S");
            Await.until("its stock to come back", WAIT, () -> stock(catalog, product) == 5);
            assertThat(TestHttp.get(orders.baseUrl() + "/observe/metrics").body().lines()
                    .filter(line -> line.startsWith("orders_saga_deadline_cancelled")).toList())
                    .as("the metric counts it").anySatisfy(line -> assertThat(line).endsWith(" 1.0"));

            RunningApp payments = system.start("payments", dev.bazaar.payments.Main::start, SPANS);
            Await.until("payments to take the late order-placed", WAIT,
                    () -> TestHttp.get(payments.baseUrl() + "/payments/" + stuck, system.tokens.admin("ops"))
                            .statusCode() == 200);
            assertThat(payment(system, payments, stuck).get("status").asText()).as("not charged").isEqualTo("DECLINED");
            assertThat(TestHttp.json(TestHttp.get(orders.baseUrl() + "/orders/" + stuck, system.tokens.admin("ops")))
                    .get("status").asText()).isEqualTo("CANCELLED");
            assertThat(stock(catalog, product)).isEqualTo(5);
        }
    }

    private static String createProduct(SystemUnderTest system, RunningApp catalog, int stock) {
        HttpResponse<String> created = TestHttp.post(catalog.baseUrl() + "/products", "{\"sku\":\"SAGA-"
                + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "\",\"name\":\"Saga test\","
                + "\"price\":{\"amount\":500,\"currency\":\"EUR\"},\"stock\":" + stock + "}", system.tokens.admin("ops"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHttp.json(created).get("id").asText();
    }

    private static HttpResponse<String> place(SystemUnderTest system, RunningApp orders, String product, String pay) {
        return TestHttp.post(orders.baseUrl() + "/orders", "{\"items\":[{\"productId\":\"" + product
                + "\",\"quantity\":1}],\"paymentToken\":\"" + pay + "\"}", system.tokens.customer("saga-customer"));
    }

    private static String id(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestHttp.json(response).get("id").asText();
    }

    private static JsonNode awaitStatus(SystemUnderTest system, RunningApp orders, String id, String status) {
        return Await.value("order " + id + " to be " + status, WAIT, () -> {
            JsonNode order = TestHttp.json(TestHttp.get(orders.baseUrl() + "/orders/" + id, system.tokens.admin("ops")));
            return status.equals(order.get("status").asText()) ? order : null;
        });
    }

    private static JsonNode payment(SystemUnderTest system, RunningApp payments, String orderId) {
        return Await.value("the payment of " + orderId, WAIT, () -> {
            HttpResponse<String> response = TestHttp.get(payments.baseUrl() + "/payments/" + orderId,
                    system.tokens.admin("ops"));
            return response.statusCode() == 200 ? TestHttp.json(response) : null;
        });
    }

    private static int stock(RunningApp catalog, String product) {
        return TestHttp.json(TestHttp.get(catalog.baseUrl() + "/products/" + product)).get("stock").asInt();
    }

    private static long waitingOnLocks(TestDatabase db) {
        try (Connection connection = db.connect();
             var rs = connection.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> reservationStatuses(TestDatabase db, String product) {
        try (Connection connection = db.connect();
             var select = connection.prepareStatement("SELECT r.status FROM reservations r "
                     + "JOIN reservation_lines l ON l.order_id = r.order_id WHERE l.product_id = ?")) {
            select.setObject(1, UUID.fromString(product));
            List<String> statuses = new ArrayList<>();
            try (var rs = select.executeQuery()) {
                while (rs.next()) {
                    statuses.add(rs.getString(1));
                }
            }
            return statuses;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trigger function that makes catalog fail to commit holds (those matching {@code andAlso}). */
    private static String refuseConfirm(String andAlso) {
        return "CREATE OR REPLACE FUNCTION refuse_confirm() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.status = 'CONFIRMED' " + andAlso + " THEN "
                + "RAISE EXCEPTION 'test: catalog cannot apply order-placed'; END IF; RETURN NEW; END $$";
    }

    private static String reservationStatus(TestDatabase db, String order) {
        try (Connection connection = db.connect();
             var select = connection.prepareStatement("SELECT status FROM reservations WHERE order_id = ?")) {
            select.setObject(1, UUID.fromString(order));
            try (var rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
