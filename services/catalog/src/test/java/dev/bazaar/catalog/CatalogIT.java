package dev.bazaar.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.CommitStockReply;
import dev.bazaar.contracts.catalog.CommitStockRequest;
import dev.bazaar.contracts.catalog.GetProductsReply;
import dev.bazaar.contracts.catalog.GetProductsRequest;
import dev.bazaar.contracts.catalog.ReleaseStockReply;
import dev.bazaar.contracts.catalog.ReleaseStockRequest;
import dev.bazaar.contracts.catalog.ReserveStockReply;
import dev.bazaar.contracts.catalog.ReserveStockRequest;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.security.NatsSecurity;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.RemoteErrorException;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ServiceUnderTest;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.nats.client.Message;
import io.nats.service.Discovery;
import io.nats.service.PingResponse;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogIT {
    static final UUID MUG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static ServiceUnderTest sut;
    static TestNatsServer natsServer;
    static TestDatabase db;
    static RunningApp catalog;
    static NatsMessaging client;
    static TestTokens tokens;
    static String admin;
    static String customer;

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.create(Main.class, "catalog");
        tokens = sut.tokens;
        natsServer = sut.nats;
        db = sut.db;
        admin = tokens.admin("admin-1");
        customer = tokens.customer("customer-1");
        catalog = sut.start(config -> Main.start(config, Telemetry.forTests("catalog", InMemorySpanExporter.create())),
                Map.of("catalog.reservations.ttl", "PT3S", "catalog.reservations.sweep-interval", "PT0.2S"));
        client = sut.add(NatsMessaging.connect(NatsSettings.local(natsServer.url(), "catalog-it"),
                Telemetry.forTests("client", InMemorySpanExporter.create()).openTelemetry(), Json.codec()));
    }

    @AfterAll
    static void stop() {
        sut.close();
    }

    @Test
    void listsTheSeedCatalogue() throws Exception {
        HttpResponse<String> response = TestHttp.get(catalog.baseUrl() + "/products?limit=100");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode products = TestHttp.json(response).get("products");
        assertThat(products.findValuesAsText("sku")).contains("MUG-BLUE", "LAMP-DESK");
    }

    @Test
    void pagesThroughTheCatalogueBySkuWithACursor() {
        List<String> all = TestHttp.json(TestHttp.get(catalog.baseUrl() + "/products?limit=100")).get("products")
                .findValuesAsText("sku");
        assertThat(all).isSorted().doesNotHaveDuplicates().hasSizeGreaterThan(3);
        List<String> paged = new java.util.ArrayList<>();
        String url = catalog.baseUrl() + "/products?limit=3";
        for (int pages = 0; url != null; pages++) {
            assertThat(pages).as("pages end").isLessThan(50);
            JsonNode page = TestHttp.json(TestHttp.get(url));
            paged.addAll(page.get("products").findValuesAsText("sku"));
            assertThat(page.get("products").size()).isLessThanOrEqualTo(3);
            url = page.has("next") ? catalog.baseUrl() + "/products?limit=3&cursor=" + page.get("next").asText() : null;
        }
        assertThat(paged).as("every product once, in order").startsWith(all.toArray(String[]::new));
        TestHttp.assertProblem(TestHttp.get(catalog.baseUrl() + "/products?limit=101"), 400, "limit must be 1..100");
        TestHttp.assertProblem(TestHttp.get(catalog.baseUrl() + "/products?cursor=%FF%FE"), 400, "cursor is malformed");
    }

    @Test
    void createsAProductAndServesItAtItsLocation() throws Exception {
        String sku = "TEST-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        HttpResponse<String> created = TestHttp.post(catalog.baseUrl() + "/products",
                "{\"sku\":\"" + sku + "\",\"name\":\"Test\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":5}", admin);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> read = TestHttp.get(catalog.baseUrl() + location);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(read).get("sku").asText()).isEqualTo(sku);
        assertThat(TestHttp.json(read).get("price").get("amount").asLong()).isEqualTo(100);

        HttpResponse<String> again = TestHttp.post(catalog.baseUrl() + "/products",
                "{\"sku\":\"" + sku + "\",\"name\":\"Twin\",\"price\":{\"amount\":1,\"currency\":\"EUR\"},\"stock\":1}", admin);
        TestHttp.assertProblem(again, 409, "already exists");
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() throws Exception {
        long before = productCount();
        TestHttp.assertProblem(TestHttp.post(catalog.baseUrl() + "/products", "{\"sku\":", admin), 400, "malformed JSON");
        TestHttp.assertProblem(TestHttp.post(catalog.baseUrl() + "/products",
                "{\"sku\":\"X1\",\"name\":\"x\",\"price\":{\"amount\":1,\"currency\":\"EUR\"}}", admin), 400, "stock");
        TestHttp.assertProblem(TestHttp.post(catalog.baseUrl() + "/products",
                "{\"sku\":\"X1\",\"name\":\"x\",\"price\":{\"amount\":1,\"currency\":\"ZZZ\"},\"stock\":1}", admin), 400, "currency");
        TestHttp.assertProblem(TestHttp.postOversized(catalog.baseUrl() + "/products", "x".repeat(70_000), admin), 413, "over the limit");
        TestHttp.assertProblem(TestHttp.get(catalog.baseUrl() + "/products/" + UUID.randomUUID()), 404, "no product");
        TestHttp.assertProblem(TestHttp.get(catalog.baseUrl() + "/products/not-a-uuid"), 400, "UUID");
        TestHttp.assertProblem(TestHttp.get(catalog.baseUrl() + "/products?limit=0"), 400, "limit");
        assertThat(productCount()).isEqualTo(before);
    }

    @Test
    void answersUnroutedRequestsWith404Or405() {
        TestHttp.assertRoutingFallbacks(catalog.baseUrl(), "/products", "DELETE", "GET, HEAD, POST, OPTIONS");
    }

    @Test
    void servesProductsOverNats() {
        UUID unknown = UUID.randomUUID();
        GetProductsReply reply = client.requests().request(CatalogSubjects.GET_PRODUCTS,
                new GetProductsRequest(List.of(MUG, unknown)), GetProductsReply.class, Duration.ofSeconds(2));
        assertThat(reply.products()).singleElement().satisfies(p -> {
            assertThat(p.sku()).isEqualTo("MUG-BLUE");
            assertThat(p.price().currency()).isEqualTo("EUR");
        });
        assertThat(reply.missing()).containsExactly(unknown);
    }

    @Test
    void answersInvalidNatsRequestsWithStandardErrors() throws Exception {
        assertThatThrownBy(() -> client.requests().request(CatalogSubjects.GET_PRODUCTS,
                new GetProductsRequest(List.of()), GetProductsReply.class, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(400));

        Message reply = client.connection().request(CatalogSubjects.GET_PRODUCTS,
                "{not json".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
        assertThat(reply).isNotNull();
        assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("400");
        assertThat(reply.getHeaders().getFirst("Nats-Service-Error")).isNotBlank();
    }

    @Test
    void isDiscoverableThroughTheServiceApi() {
        List<PingResponse> pings = new Discovery(client.connection(), 500, 5).ping(CatalogSubjects.SERVICE);
        assertThat(pings).extracting(PingResponse::getName).contains(CatalogSubjects.SERVICE);
    }

    @Test
    void isReadyWithNatsAndDatabaseUp() {
        HttpResponse<String> ready = TestHttp.get(catalog.baseUrl() + "/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("nats", "database", "jetstream");
    }

    private static long productCount() throws Exception {
        try (var connection = db.connect(); var rs = connection.createStatement().executeQuery("SELECT count(*) FROM products")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void reservesAllOrNothingIdempotentlyByOrderId() throws Exception {
        UUID product = createProduct(5);
        UUID order = UUID.randomUUID();

        ReserveStockReply first = reserve(order, product, 3);
        assertThat(first.reserved()).isTrue();
        assertThat(first.products()).singleElement().satisfies(p -> assertThat(p.price().amount()).isEqualTo(100));
        assertThat(stock(product)).isEqualTo(2);
        assertThat(reserve(order, product, 3).reserved()).as("a retry answers the same reservation").isTrue();
        assertThat(stock(product)).as("and holds nothing more").isEqualTo(2);

        ReserveStockReply tooMuch = reserve(UUID.randomUUID(), product, 3);
        assertThat(tooMuch.reserved()).isFalse();
        assertThat(tooMuch.insufficient()).containsExactly(product);
        UUID unknown = UUID.randomUUID();
        ReserveStockReply mixed = client.requests().request(CatalogSubjects.RESERVE_STOCK, new ReserveStockRequest(
                UUID.randomUUID(), List.of(new ReserveStockRequest.Item(product, 1), new ReserveStockRequest.Item(unknown, 1))),
                NatsSecurity.onBehalfOf(customer), ReserveStockReply.class, Duration.ofSeconds(2));
        assertThat(mixed.reserved()).isFalse();
        assertThat(mixed.missing()).containsExactly(unknown);
        assertThat(stock(product)).as("refused reservations hold nothing").isEqualTo(2);

        assertThat(release(order)).isTrue();
        assertThat(stock(product)).isEqualTo(5);
        assertThat(release(order)).as("releasing twice changes nothing").isFalse();
        assertThat(stock(product)).isEqualTo(5);
    }

    @Test
    void exactlyOneOfTwoConcurrentOrdersGetsTheLastUnit() throws Exception {
        UUID product = createProduct(1);
        List<ReserveStockReply> replies;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var a = executor.submit(() -> reserve(UUID.randomUUID(), product, 1));
            var b = executor.submit(() -> reserve(UUID.randomUUID(), product, 1));
            replies = List.of(a.get(), b.get());
        }
        assertThat(replies).filteredOn(ReserveStockReply::reserved).hasSize(1);
        assertThat(stock(product)).isZero();
    }

    @Test
    void anUnconfirmedReservationExpiresAndReturnsItsStock() throws Exception {
        UUID product = createProduct(4);
        assertThat(reserve(UUID.randomUUID(), product, 4).reserved()).isTrue();
        assertThat(stock(product)).isZero();
        Await.until("the lapsed hold to be released", Duration.ofSeconds(10), () -> stock(product) == 4);
    }

    @Test
    void aReleaseThatOvertakesItsReserveMakesTheLateReserveFail() throws Exception {
        UUID product = createProduct(2);
        UUID order = UUID.randomUUID();
        assertThat(release(order)).isFalse();
        assertThatThrownBy(() -> reserve(order, product, 1))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThat(stock(product)).isEqualTo(2);
    }

    /**
     * Gap 4 of issue 9: orders gives up on a slow reserve (504) and releases at once; the release must return the
     * stock even when it runs while that reserve is still in its transaction (here: waiting for a product row the test
     * holds locked), and not leave it held until expiry.
     */
    @Test
    void aReleaseThatRunsWhileItsSlowReserveIsStillOpenReturnsTheStockOnceItCommits() throws Exception {
        UUID product = createProduct(3);
        UUID order = UUID.randomUUID();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
             var lock = db.connect()) {
            lock.setAutoCommit(false);
            try (var select = lock.prepareStatement("SELECT stock FROM products WHERE id = ? FOR UPDATE")) {
                select.setObject(1, product);
                select.executeQuery().close();
            }
            var reserving = executor.submit(() -> reserve(order, product, 1));
            Await.until("the reserve to wait for the product row", Duration.ofSeconds(10), () -> waitingOnLocks() == 1);
            var releasing = executor.submit(() -> release(order));
            Await.until("the release to wait for the reserve", Duration.ofSeconds(10), () -> waitingOnLocks() == 2);
            lock.commit();

            assertThat(reserving.get(10, java.util.concurrent.TimeUnit.SECONDS).reserved()).isTrue();
            assertThat(releasing.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the release gave it back").isTrue();
        }
        assertThat(stock(product)).as("at once, not at the hold's expiry").isEqualTo(3);
        assertThat(reservationStatus(order)).isEqualTo("RELEASED test");
    }

    /** Gap 1 of issue 9: stock is committed to an order only while it is the order's, or can be taken again. */
    @Test
    void committingKeepsALiveHoldTakesALapsedOneAgainWhileStockLastsAndRefusesOtherwise() throws Exception {
        UUID product = createProduct(1);
        UUID live = UUID.randomUUID();
        assertThat(reserve(live, product, 1).reserved()).isTrue();
        assertThat(commit(live).committed()).isTrue();
        assertThat(commit(live).committed()).as("idempotent").isTrue();
        assertThat(reservationStatus(live)).as("the sweeper expires HELD only").startsWith("CONFIRMED");

        UUID other = createProduct(1);
        UUID lapsed = UUID.randomUUID();
        assertThat(reserve(lapsed, other, 1).reserved()).isTrue();
        Await.until("the hold to lapse", Duration.ofSeconds(10), () -> stock(other) == 1);
        assertThat(commit(lapsed).committed()).as("stock still there: taken again").isTrue();
        assertThat(stock(other)).isZero();

        UUID gone = UUID.randomUUID();
        UUID thief = UUID.randomUUID();
        UUID third = createProduct(1);
        assertThat(reserve(gone, third, 1).reserved()).isTrue();
        Await.until("the hold to lapse", Duration.ofSeconds(10), () -> stock(third) == 1);
        assertThat(reserve(thief, third, 1).reserved()).isTrue();
        CommitStockReply refused = commit(gone);
        assertThat(refused.committed()).as("sold to another order since").isFalse();
        assertThat(refused.reason()).contains("stock is gone");
        assertThat(stock(third)).isZero();

        UUID cancelled = UUID.randomUUID();
        UUID fourth = createProduct(2);
        assertThat(reserve(cancelled, fourth, 1).reserved()).isTrue();
        assertThat(release(cancelled)).isTrue();
        assertThat(commit(cancelled).committed()).as("released on purpose: never taken again").isFalse();
        assertThat(commit(UUID.randomUUID()).committed()).as("never reserved").isFalse();
        assertThat(stock(fourth)).isEqualTo(2);
    }

    private static CommitStockReply commit(UUID order) {
        return client.requests().request(CatalogSubjects.COMMIT_STOCK, new CommitStockRequest(order),
                CommitStockReply.class, Duration.ofSeconds(5));
    }

    private static long waitingOnLocks() {
        try (var connection = db.connect();
             var rs = connection.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reservationStatus(UUID order) throws Exception {
        try (var connection = db.connect();
             var select = connection.prepareStatement(
                     "SELECT status || ' ' || coalesce(release_reason, '') FROM reservations WHERE order_id = ?")) {
            select.setObject(1, order);
            try (var rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void onlyAdminsCreateProductsWhileReadingIsPublic() throws Exception {
        long before = productCount();
        String body = "{\"sku\":\"NOPE-1\",\"name\":\"x\",\"price\":{\"amount\":1,\"currency\":\"EUR\"},\"stock\":1}";
        TestHttp.assertProblem(TestHttp.post(catalog.baseUrl() + "/products", body, customer), 403,
                "requires role admin");
        TestHttp.assertUnauthorized(TestHttp.post(catalog.baseUrl() + "/products", body), "required", false);
        TestHttp.assertUnauthorized(TestHttp.post(catalog.baseUrl() + "/products", body, "garbage"), "malformed",
                true);
        assertThat(productCount()).isEqualTo(before);
        assertThat(TestHttp.get(catalog.baseUrl() + "/products/" + MUG).statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(catalog.baseUrl() + "/products/" + MUG, customer).statusCode()).isEqualTo(200);
        TestHttp.assertProblem(TestHttp.get(catalog.baseUrl() + "/admin/dead-letters", customer), 403, "admin");
    }

    @Test
    void reservingStockOverNatsNeedsTheCallersToken() {
        UUID product = createProduct(3);
        ReserveStockRequest request = new ReserveStockRequest(UUID.randomUUID(),
                List.of(new ReserveStockRequest.Item(product, 1)));
        Map<String, Map<String, String>> refused = Map.of(
                "no token", Map.of(),
                "a bad token", NatsSecurity.onBehalfOf("not-a-jwt"),
                "an expired token", NatsSecurity.onBehalfOf(expired()));
        refused.forEach((what, headers) -> assertThatThrownBy(() -> client.requests().request(
                CatalogSubjects.RESERVE_STOCK, request, headers, ReserveStockReply.class, Duration.ofSeconds(2)))
                .as(what)
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(401)));
        assertThatThrownBy(() -> client.requests().request(CatalogSubjects.RESERVE_STOCK, request,
                NatsSecurity.onBehalfOf(tokens.token("nobody")), ReserveStockReply.class, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(403));
        assertThat(stock(product)).isEqualTo(3);

        assertThat(client.requests().request(CatalogSubjects.RESERVE_STOCK, request,
                NatsSecurity.onBehalfOf(customer), ReserveStockReply.class, Duration.ofSeconds(2)).reserved()).isTrue();
        assertThat(stock(product)).isEqualTo(2);
    }

    private static String expired() {
        Map<String, Object> claims = TestTokens.claims("customer-1", "customer");
        claims.put("exp", java.time.Instant.now().getEpochSecond() - 300);
        return TestTokens.sign(tokens.key(), claims);
    }

    private static UUID createProduct(int stock) {
        String sku = "R-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        HttpResponse<String> created = TestHttp.post(catalog.baseUrl() + "/products", "{\"sku\":\"" + sku
                + "\",\"name\":\"Reservable\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":" + stock + "}",
                admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(TestHttp.json(created).get("id").asText());
    }

    private static ReserveStockReply reserve(UUID order, UUID product, int quantity) {
        return client.requests().request(CatalogSubjects.RESERVE_STOCK,
                new ReserveStockRequest(order, List.of(new ReserveStockRequest.Item(product, quantity))),
                NatsSecurity.onBehalfOf(customer), ReserveStockReply.class, Duration.ofSeconds(5));
    }

    private static boolean release(UUID order) {
        return client.requests().request(CatalogSubjects.RELEASE_STOCK, new ReleaseStockRequest(order, "test"),
                ReleaseStockReply.class, Duration.ofSeconds(2)).released();
    }

    private static int stock(UUID product) {
        return TestHttp.json(TestHttp.get(catalog.baseUrl() + "/products/" + product)).get("stock").asInt();
    }
}
