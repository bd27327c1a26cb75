package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.SseTestClient;
import dev.bazaar.testing.StreamReplica;
import dev.bazaar.testing.TestHttp;
import io.helidon.config.Config;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of every service on a three-node NATS cluster with streams at R3, as {@code make run CLUSTER=1
 * INSTANCES=2} runs them: orders placed through both orders instances, with tokens from both identity instances, each
 * reach their final state once (one payment, one outcome event, one stock movement, one notification per event), the
 * three servers hold the same streams, every live client sees every notification once whichever instance stored it,
 * and each instance did part of the work (counted from its own spans: every instance has its own exporter).
 */
class ScaleOutIT {
    static final int ORDERS = 40;
    static final int CLIENTS = 4;
    static final int STOCK = 1000;
    static final String ISSUER = "http://identity.scale.test";
    static final String ADMIN = "admin@scale.test";
    static final String PASSWORD = "correct horse battery staple";
    static final Duration WAIT = Duration.ofSeconds(60);

    /** One running instance and the spans it produced. */
    record Instance(RunningApp app, InMemorySpanExporter spans) {
        long count(SpanKind kind, String namePrefix) {
            return spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == kind && span.getName().startsWith(namePrefix)).count();
        }

        String url(String path) {
            return app.baseUrl() + path;
        }
    }

    /** An order placed by the test and what it should become. */
    record Placed(String id, int quantity, boolean declined) {
        String finalStatus() {
            return declined ? "CANCELLED" : "CONFIRMED";
        }
    }

    static SystemUnderTest system;
    static final Map<String, List<Instance>> INSTANCES = new LinkedHashMap<>();
    static List<String> customerTokens;
    static String product;
    static List<SseTestClient> liveClients;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.onCluster("scale");
        startTwo("identity", dev.bazaar.identity.Main::start, Map.of(
                "identity.issuer", ISSUER,
                "identity.password.memory-kib", "64",
                "identity.password.iterations", "1",
                "identity.bootstrap-admin.email", ADMIN,
                "identity.bootstrap-admin.password", PASSWORD));
        // Every other service trusts identity's tokens (either instance signs with the keys they share), each
        // for its own audience (SystemUnderTest's defaults are TestTokens', audience "bazaar").
        startTwo("catalog", dev.bazaar.catalog.Main::start, trustIdentity("catalog"));
        startTwo("orders", dev.bazaar.orders.Main::start, trustIdentity("orders"));
        startTwo("payments", dev.bazaar.payments.Main::start, trustIdentity("payments"));
        startTwo("notifications", dev.bazaar.notifications.Main::start, trustIdentity("notifications"));

        String email = "scale-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> registered = TestHttp.post(instance("identity", 1).url("/users"),
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        customerTokens = List.of(token(0, email), token(1, email));
        product = createProduct(token(1, ADMIN));
        liveClients = List.of(
                SseTestClient.open(instance("notifications", 0).url("/notifications/stream"), customerTokens.get(0)),
                SseTestClient.open(instance("notifications", 1).url("/notifications/stream"), customerTokens.get(1)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close(); // ends the live streams too
        }
    }

    /**
     * Issue 10: a token's {@code aud} is its scopes and each service accepts only its own, so the token orders
     * forwards to catalog on {@code catalog.reserve-stock} (a customer's or an admin's, default scopes) cannot be
     * replayed at payments' admin routes; only an admin token asked for with {@code scope=payments} opens them.
     */
    @Test
    void aTokenCatalogReceivesCannotBeReplayedAgainstPaymentsAdminRoutes() {
        String path = "/payments/" + UUID.randomUUID();
        String adminDefault = token(0, ADMIN);
        for (String forwarded : List.of(customerTokens.get(0), adminDefault)) {
            TestHttp.assertProblem(TestHttp.get(instance("payments", 0).url(path), forwarded), 401,
                    "audience is not accepted");
            TestHttp.assertProblem(TestHttp.get(instance("payments", 0).url("/admin/dead-letters"), forwarded), 401,
                    "audience is not accepted");
        }
        String forPayments = token(1, ADMIN, "payments");
        assertThat(TestHttp.get(instance("payments", 1).url(path), forPayments).statusCode()).isEqualTo(404);
        TestHttp.assertProblem(TestHttp.get(instance("catalog", 1).url("/products/" + product), forPayments), 401,
                "audience is not accepted");
    }

    @Test
    void everyOrderEndsOnceAndEveryInstanceDidSomeOfTheWork() throws Exception {
        List<Placed> placed = placeOrders();
        for (int i = 0; i < placed.size(); i++) {
            Placed order = placed.get(i);
            // Read through the other orders instance than the one that placed it: HTTP holds no state.
            JsonNode final_ = awaitStatus(instance("orders", (i + 1) % 2), order);
            assertThat(final_.get("history").findValuesAsText("status"))
                    .as("order " + order.id()).containsExactly("PLACED", order.finalStatus());
        }
        long declined = placed.stream().filter(Placed::declined).count();
        long confirmedUnits = placed.stream().filter(o -> !o.declined()).mapToInt(Placed::quantity).sum();

        // Nothing done twice: one payment and one outcome event per order, one stock movement, one notification.
        assertThat(rows("payments", "SELECT count(*) FROM payments")).isEqualTo(ORDERS);
        assertThat(rows("payments", "SELECT count(*) FROM payments WHERE status = 'DECLINED'")).isEqualTo(declined);
        assertThat(rows("payments", "SELECT count(*) FROM messaging_outbox")).as("payment events").isEqualTo(ORDERS);
        assertThat(rows("orders", "SELECT count(*) FROM messaging_outbox")).as("order events").isEqualTo(2L * ORDERS);
        assertThat(rows("orders", "SELECT count(*) FROM order_status_history")).isEqualTo(2L * ORDERS);
        assertThat(rows("catalog", "SELECT count(*) FROM reservations WHERE status = 'RELEASED'")).isEqualTo(declined);
        assertThat(rows("catalog", "SELECT count(*) FROM reservations WHERE status = 'CONFIRMED'"))
                .isEqualTo(ORDERS - declined);
        Await.until("the stock to be the initial stock minus what was sold", WAIT,
                () -> stock() == STOCK - confirmedUnits);
        Await.until("one notification per order event", WAIT,
                () -> rows("notifications", "SELECT count(*) FROM notifications") == 2L * ORDERS);
        assertThat(rows("notifications", "SELECT count(DISTINCT (order_id, status)) FROM notifications"))
                .isEqualTo(2L * ORDERS);

        // Every live client, on either instance, got every notification once, whichever instance stored it.
        List<String> stored = ids("notifications", "SELECT id FROM notifications");
        for (SseTestClient live : liveClients) {
            List<String> received = new ArrayList<>();
            while (received.size() < stored.size()) {
                received.add(live.nextNamed("notification", WAIT).id());
            }
            assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stored);
        }

        // The three servers hold the same streams.
        StreamReplica ordersStream = system.cluster.awaitReplicasAgree("ORDERS", WAIT);
        assertThat(ordersStream.messages()).isEqualTo(2L * ORDERS);
        assertThat(system.cluster.replicas("ORDERS")).hasSize(3);
        assertThat(system.cluster.awaitReplicasAgree("PAYMENTS", WAIT).messages()).isEqualTo(ORDERS);

        // The relays of both instances publish each row once, between them.
        assertThat(total("orders", SpanKind.PRODUCER, "send orders.events.")).isEqualTo(2L * ORDERS);
        assertThat(total("payments", SpanKind.PRODUCER, "send payments.events.")).isEqualTo(ORDERS);

        // And the work spread: each instance handled some of it.
        Map<String, List<Long>> spread = new LinkedHashMap<>();
        spread.put("catalog reserve-stock (queue group)", perInstance("catalog", SpanKind.SERVER, "process catalog.reserve-stock"));
        spread.put("catalog GET /products", perInstance("catalog", SpanKind.SERVER, "GET /products"));
        spread.put("catalog-orders", perInstance("catalog", SpanKind.CONSUMER, "process orders.events."));
        spread.put("payments-order-placed", perInstance("payments", SpanKind.CONSUMER, "process orders.events.order-placed"));
        spread.put("orders-payments", perInstance("orders", SpanKind.CONSUMER, "process payments.events."));
        spread.put("notifications-orders", perInstance("notifications", SpanKind.CONSUMER, "process orders.events."));
        spread.put("identity tokens", perInstance("identity", SpanKind.SERVER, "POST /oauth2/token"));
        System.out.println("work per instance: " + spread);
        assertThat(spread).allSatisfy((work, counts) -> assertThat(counts).as(work).allMatch(count -> count > 0));
    }

    /** A few clients at once, so that the instances work concurrently without a cold burst timing out. */
    private static List<Placed> placeOrders() throws Exception {
        List<Future<Placed>> futures = new ArrayList<>();
        try (var executor = Executors.newFixedThreadPool(CLIENTS, Thread.ofVirtual().factory())) {
            for (int i = 0; i < ORDERS; i++) {
                int n = i;
                futures.add(executor.submit(() -> place(n)));
            }
        }
        List<Placed> placed = new ArrayList<>();
        for (Future<Placed> future : futures) {
            placed.add(future.get());
        }
        return placed;
    }

    /** Order {@code n}: every fourth is declined; orders and tokens alternate between the two instances. */
    private static Placed place(int n) {
        boolean declined = n % 4 == 3;
        int quantity = 1 + n % 3;
        assertThat(TestHttp.get(instance("catalog", n % 2).url("/products/" + product)).statusCode()).isEqualTo(200);
        HttpResponse<String> response = TestHttp.post(instance("orders", n % 2).url("/orders"),
                "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}],\"paymentToken\":\""
                        + (declined ? "tok_declined" : "tok_visa") + "\"}", customerTokens.get(n % 2));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new Placed(TestHttp.json(response).get("id").asText(), quantity, declined);
    }

    private static JsonNode awaitStatus(Instance orders, Placed order) {
        return Await.value("order " + order.id() + " to be " + order.finalStatus(), WAIT, () -> {
            JsonNode body = TestHttp.json(TestHttp.get(orders.url("/orders/" + order.id()), customerTokens.get(0)));
            String status = body.path("status").asText();
            assertThat(status).as("order " + order.id()).isIn("PLACED", order.finalStatus());
            return status.equals(order.finalStatus()) ? body : null;
        });
    }

    private static void startTwo(String service, BiFunction<Config, Telemetry, RunningApp> main,
                                 Map<String, String> extra) {
        List<Instance> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            InMemorySpanExporter spans = InMemorySpanExporter.create();
            two.add(new Instance(system.start(service, main, spans, extra), spans));
        }
        INSTANCES.put(service, two);
    }

    private static Map<String, String> trustIdentity(String service) {
        return Map.of("security.jwks-uri", instance("identity", 0).url("/.well-known/jwks.json"),
                "security.issuer", ISSUER,
                "security.audience", service);
    }

    private static Instance instance(String service, int index) {
        return INSTANCES.get(service).get(index);
    }

    private static List<Long> perInstance(String service, SpanKind kind, String namePrefix) {
        return INSTANCES.get(service).stream().map(instance -> instance.count(kind, namePrefix)).toList();
    }

    private static long total(String service, SpanKind kind, String namePrefix) {
        return perInstance(service, kind, namePrefix).stream().mapToLong(Long::longValue).sum();
    }

    /** An access token from identity instance {@code index} (password grant). */
    private static String token(int index, String email) {
        return token(index, email, null);
    }

    /** The same for {@code scope} (null: the default scopes). */
    private static String token(int index, String email, String scope) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "password", "username", email,
                "password", PASSWORD));
        if (scope != null) {
            form.put("scope", scope);
        }
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> response = TestHttp.send(HttpRequest.newBuilder(URI.create(instance("identity", index)
                        .url("/oauth2/token"))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response).get("access_token").asText();
    }

    private static String createProduct(String adminToken) {
        HttpResponse<String> created = TestHttp.post(instance("catalog", 0).url("/products"),
                "{\"sku\":\"SCALE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "\",\"name\":\"Scaled mug\",\"price\":{\"amount\":500,"
                        + "\"currency\":\"EUR\"},\"stock\":" + STOCK + "}", adminToken);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHttp.json(created).get("id").asText();
    }

    private static int stock() {
        return TestHttp.json(TestHttp.get(instance("catalog", 1).url("/products/" + product))).get("stock").asInt();
    }

    private static List<String> ids(String service, String sql) {
        try (var connection = system.database(service).connect();
             var result = connection.createStatement().executeQuery(sql)) {
            List<String> ids = new ArrayList<>();
            while (result.next()) {
                ids.add(result.getString(1));
            }
            return ids;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static long rows(String service, String sql) {
        try (var connection = system.database(service).connect();
             var result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
