package dev.bazaar.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.ProductInfo;
import dev.bazaar.contracts.catalog.ReleaseStockReply;
import dev.bazaar.contracts.catalog.ReleaseStockRequest;
import dev.bazaar.contracts.catalog.ReserveStockReply;
import dev.bazaar.contracts.catalog.ReserveStockRequest;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ServiceUnderTest;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders over real HTTP, a real nats-server and a real database, with a stand-in catalog endpoint on NATS whose
 * answers (and slowness) each test controls.
 */
class PlaceOrderIT {
    static final UUID MUG = UUID.randomUUID();
    static final UUID TEE = UUID.randomUUID();
    static final UUID LAMP = UUID.randomUUID();
    static final Map<UUID, ProductInfo> PRODUCTS = List.of(
                    new ProductInfo(MUG, "MUG", "Mug", new Money(1250, "EUR"), 10),
                    new ProductInfo(TEE, "TEE", "Tee", new Money(2400, "EUR"), 10),
                    new ProductInfo(LAMP, "LAMP", "Lamp", new Money(3500, "USD"), 10))
            .stream().collect(Collectors.toMap(ProductInfo::id, Function.identity()));

    static final String ALICE = "alice-" + UUID.randomUUID();
    static ServiceUnderTest sut;
    static TestTokens tokens;
    static String alice;
    static TestNatsServer natsServer;
    static TestDatabase db;
    static RunningApp orders;
    static NatsMessaging catalogSide;
    static volatile long catalogDelayMillis;
    static final Set<UUID> reserved = ConcurrentHashMap.newKeySet();
    static final Map<UUID, String> reserveAuthorization = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.create(Main.class, "orders");
        tokens = sut.tokens;
        natsServer = sut.nats;
        db = sut.db;
        alice = tokens.customer(ALICE);
        orders = sut.start(config -> Main.start(config, Telemetry.forTests("orders", InMemorySpanExporter.create())),
                Map.of("orders.catalog.timeout", "PT0.5S"));
        catalogSide = sut.add(NatsMessaging.connect(NatsSettings.local(natsServer.url(), "catalog-stand-in"),
                Telemetry.forTests("catalog", InMemorySpanExporter.create()).openTelemetry(), Json.codec()));
    }

    @AfterAll
    static void stop() {
        sut.close();
    }

    @Test
    void answersUnroutedRequestsWith404Or405() {
        TestHttp.assertRoutingFallbacks(orders.baseUrl(), "/orders", "DELETE", "GET, HEAD, POST, OPTIONS");
    }

    @Test
    void placesAnOrderAndServesItAtItsLocation() throws Exception {
        RunningService catalog = startCatalog();
        try {
            HttpResponse<String> placed = place("{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":2},"
                    + "{\"productId\":\"" + TEE + "\",\"quantity\":1}]}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            JsonNode order = TestHttp.json(placed);
            assertThat(order.get("status").asText()).isEqualTo("PLACED");
            assertThat(order.get("customerId").asText()).as("the token's subject").isEqualTo(ALICE);
            assertThat(reserveAuthorization.get(UUID.fromString(order.get("id").asText())))
                    .as("the customer's token went along on catalog.reserve-stock").isEqualTo("Bearer " + alice);
            assertThat(order.get("total").get("amount").asLong()).isEqualTo(2 * 1250 + 2400);
            assertThat(order.get("total").get("currency").asText()).isEqualTo("EUR");
            String location = placed.headers().firstValue("Location").orElseThrow();
            assertThat(location).isEqualTo("/orders/" + order.get("id").asText());

            HttpResponse<String> read = TestHttp.get(orders.baseUrl() + location, alice);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(read).get("lines")).hasSize(2);
            assertThat(TestHttp.json(read).get("history").get(0).get("status").asText()).isEqualTo("PLACED");
        } finally {
            catalog.stop();
        }
    }

    @Test
    void anAdminRepublishesTheEventsPublishedSinceATime() throws Exception {
        RunningService catalog = startCatalog();
        try {
            Instant since = Instant.now().minusSeconds(1);
            HttpResponse<String> placed = place(item(MUG, 1));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            Await.until("the order's event published", Duration.ofSeconds(10), () -> unpublished() == 0);
            String republish = orders.baseUrl() + "/admin/outbox/republish?since=" + since;

            HttpResponse<String> done = TestHttp.post(republish, "", tokens.admin("ops"));

            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(TestHttp.json(done).get("republished").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(TestHttp.json(done).get("since").asText()).isEqualTo(since.toString());
            Await.until("the events published again", Duration.ofSeconds(10), () -> unpublished() == 0);
            TestHttp.assertProblem(TestHttp.post(republish, "", alice), 403, "requires role admin");
            TestHttp.assertProblem(TestHttp.post(orders.baseUrl() + "/admin/outbox/republish", "",
                    tokens.admin("ops")), 400, "since is required");
            TestHttp.assertProblem(TestHttp.post(orders.baseUrl() + "/admin/outbox/republish?since=yesterday", "",
                    tokens.admin("ops")), 400, "ISO-8601");
            TestHttp.assertProblem(TestHttp.post(orders.baseUrl() + "/admin/outbox/republish?since="
                    + Instant.now().plusSeconds(3600), "", tokens.admin("ops")), 400, "future");
        } finally {
            catalog.stop();
        }
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyFindsTheFirstOrder() throws Exception {
        RunningService catalog = startCatalog();
        try {
            String key = UUID.randomUUID().toString();
            String body = item(MUG, 2);
            HttpResponse<String> first = placeWithKey(body, key, alice);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            long ordersAfterFirst = orderCount();
            int reservesAfterFirst = reserveAuthorization.size();

            HttpResponse<String> retry = placeWithKey(" { \"items\" : [ {\"quantity\":2, \"productId\":\"" + MUG
                    + "\"} ] }", key, alice);
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(TestHttp.json(retry)).as("the same order, same body").isEqualTo(TestHttp.json(first));
            assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
            assertThat(orderCount()).as("nothing written again").isEqualTo(ordersAfterFirst);
            assertThat(reserveAuthorization).as("no second reservation").hasSize(reservesAfterFirst);

            TestHttp.assertProblem(placeWithKey(item(MUG, 3), key, alice), 422, "already used for another request");
            TestHttp.assertProblem(placeWithKey("{\"items\":[{\"productId\":\"" + MUG
                    + "\",\"quantity\":2}],\"paymentToken\":\"tok_declined\"}", key, alice), 422, "another request");
            assertThat(orderCount()).isEqualTo(ordersAfterFirst);

            HttpResponse<String> bobs = placeWithKey(body, key, tokens.customer("bob-" + UUID.randomUUID()));
            assertThat(bobs.statusCode()).as("keys are per customer").isEqualTo(201);
            assertThat(TestHttp.json(bobs).get("id")).isNotEqualTo(TestHttp.json(first).get("id"));

            TestHttp.assertProblem(placeWithKey(body, "x".repeat(256), alice), 400, "Idempotency-Key must be");
            TestHttp.assertProblem(placeWithKey(body, "", alice), 400, "Idempotency-Key must be");
        } finally {
            catalog.stop();
        }
    }

    @Test
    void concurrentTriesWithOneIdempotencyKeyPlaceOneOrderAndReleaseTheOtherHold() throws Exception {
        catalogDelayMillis = 200; // both tries reserve before either writes
        RunningService catalog = startCatalog();
        try {
            String key = UUID.randomUUID().toString();
            long before = orderCount();
            Set<UUID> reservedBefore = Set.copyOf(reserveAuthorization.keySet());
            var tries = IntStream.range(0, 2).mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> placeWithKey(item(TEE, 1), key, alice))).toList();
            List<HttpResponse<String>> answers = tries.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 200);
            assertThat(answers.stream().map(answer -> TestHttp.json(answer).get("id").asText()).distinct()).hasSize(1);
            UUID id = UUID.fromString(TestHttp.json(answers.get(0)).get("id").asText());
            assertThat(orderCount()).as("one order, one line").isEqualTo(before + 2);
            Set<UUID> losers = new java.util.HashSet<>(reserveAuthorization.keySet());
            losers.removeAll(reservedBefore);
            losers.remove(id);
            assertThat(losers).as("each try reserved (under its own id)").hasSize(1);
            assertThat(reserved).as("the winner's hold is kept").contains(id);
            Await.until("the losing try gave its hold back", java.time.Duration.ofSeconds(5),
                    () -> losers.stream().noneMatch(reserved::contains));
        } finally {
            catalogDelayMillis = 0;
            catalog.stop();
        }
    }

    @Test
    void listsTheCallersOrdersNewestFirstAPageAtATime() throws Exception {
        RunningService catalog = startCatalog();
        try {
            String carol = "carol-" + UUID.randomUUID();
            String token = tokens.customer(carol);
            List<String> placed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> created = TestHttp.post(orders.baseUrl() + "/orders", item(MUG, 1), token);
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                placed.addFirst(TestHttp.json(created).get("id").asText()); // newest first
            }
            String base = orders.baseUrl() + "/orders";

            JsonNode first = TestHttp.json(TestHttp.get(base + "?limit=2", token));
            assertThat(first.get("orders").findValuesAsText("id")).containsExactly(placed.get(0), placed.get(1));
            assertThat(first.get("orders").findValuesAsText("customerId")).containsOnly(carol);
            JsonNode second = TestHttp.json(TestHttp.get(base + "?limit=2&cursor=" + first.get("next").asText(), token));
            assertThat(second.get("orders").findValuesAsText("id")).containsExactly(placed.get(2));
            assertThat(second.has("next")).as("the last page has no next").isFalse();
            assertThat(TestHttp.json(TestHttp.get(base, token)).get("orders").findValuesAsText("id"))
                    .as("default limit").containsExactlyElementsOf(placed);

            assertThat(TestHttp.json(TestHttp.get(base, tokens.customer("dave-" + UUID.randomUUID()))).get("orders"))
                    .as("another customer sees none of them").isEmpty();
            TestHttp.assertProblem(TestHttp.get(base + "?customerId=" + carol, tokens.customer("eve")), 403,
                    "only admins");
            JsonNode asAdmin = TestHttp.json(TestHttp.get(base + "?customerId=" + carol, tokens.admin("ops")));
            assertThat(asAdmin.get("orders").findValuesAsText("id")).containsExactlyElementsOf(placed);
            JsonNode everyone = TestHttp.json(TestHttp.get(base + "?limit=100", tokens.admin("ops")));
            assertThat(everyone.get("orders").findValuesAsText("id")).startsWith(placed.get(0));

            TestHttp.assertProblem(TestHttp.get(base + "?limit=101", token), 400, "limit must be 1..100");
            TestHttp.assertProblem(TestHttp.get(base + "?limit=0", token), 400, "limit must be 1..100");
            TestHttp.assertProblem(TestHttp.get(base + "?cursor=garbage!", token), 400, "cursor is malformed");
            TestHttp.assertProblem(TestHttp.get(base + "?cursor=" + Base64.getUrlEncoder()
                    .encodeToString("t:yesterday/x".getBytes(StandardCharsets.UTF_8)), token), 400, "cursor is malformed");
            TestHttp.assertUnauthorized(TestHttp.get(base), "required", false);
        } finally {
            catalog.stop();
        }
    }

    @Test
    void badOrdersGetAProblemAndWriteNothing() throws Exception {
        RunningService catalog = startCatalog();
        try {
            long before = orderCount();
            Set<UUID> heldBefore = Set.copyOf(reserved);
            TestHttp.assertProblem(place("{\"items\":["), 400, "malformed JSON");
            TestHttp.assertProblem(TestHttp.send(HttpRequest.newBuilder(URI.create(orders.baseUrl() + "/orders"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Bearer " + alice)
                    .POST(HttpRequest.BodyPublishers.ofString(item(MUG, 1)))), 415, "must be application/json");
            TestHttp.assertProblem(place("{\"items\":[]}"), 400, "at least one");
            TestHttp.assertProblem(place("{}"), 400, "at least one");
            TestHttp.assertProblem(place(item(MUG, 0)), 400, "quantity must be 1..1000");
            TestHttp.assertProblem(place(item(MUG, 1001)), 400, "quantity must be 1..1000");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"" + MUG + "\"}]}"), 400, "quantity");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"nope\",\"quantity\":1}]}"), 400, "malformed JSON");
            TestHttp.assertProblem(place(item(UUID.randomUUID(), 1)), 400, "unknown product");
            // no coercion, and a 400 names the field without echoing the input or a Java type
            for (String quantity : List.of("2.9", "\"3\"", "true", "1e400", "99999999999999999999")) {
                HttpResponse<String> refused = place("{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":"
                        + quantity + "}]}");
                TestHttp.assertProblem(refused, 400, "'items[0].quantity'");
                assertThat(TestHttp.json(refused).get("detail").asText()).as(quantity)
                        .doesNotContain(quantity.replace("\"", ""), "java", "Integer", "PlaceOrderBody", "ItemBody");
            }
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"" + MUG
                    + "\",\"quantity\":1}],\"paymentToken\":\"tok\\u0000visa\"}"), 400, "control characters");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"" + MUG
                    + "\",\"quantity\":1}],\"paymentToken\":7}"), 400, "'paymentToken'");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":1},{\"productId\":\"" + LAMP
                    + "\",\"quantity\":1}]}"), 400, "one currency");
            String lines = IntStream.range(0, 101).mapToObj(i -> "{\"productId\":\"" + UUID.randomUUID()
                    + "\",\"quantity\":1}").collect(Collectors.joining(","));
            TestHttp.assertProblem(place("{\"items\":[" + lines + "]}"), 400, "at most 100 lines");
            TestHttp.assertProblem(TestHttp.get(orders.baseUrl() + "/orders/" + UUID.randomUUID(), alice), 404,
                    "no order");
            assertThat(orderCount()).isEqualTo(before);
            // Released beside the 400 (the answer does not wait for catalog).
            Await.until("the mixed-currency reservation released", java.time.Duration.ofSeconds(5),
                    () -> Set.copyOf(reserved).equals(Set.copyOf(heldBefore)));
        } finally {
            catalog.stop();
        }
    }

    @Test
    void catalogNotRunningIsA503AtOnce() throws Exception {
        long before = orderCount();
        // 503 comes only from NATS no-responders: waiting out the timeout would have been a 504.
        TestHttp.assertProblem(place(item(MUG, 1)), 503, "catalog is not available");
        assertThat(orderCount()).isEqualTo(before);
    }

    @Test
    void catalogTooSlowIsA504AtTheTimeout() throws Exception {
        catalogDelayMillis = 1_500;
        RunningService catalog = startCatalog();
        try {
            long before = orderCount();
            TestHttp.assertProblem(place(item(MUG, 1)), 504, "did not answer in time");
            assertThat(orderCount()).isEqualTo(before);
        } finally {
            catalogDelayMillis = 0;
            catalog.stop();
        }
    }

    @Test
    void aLockedOrdersTableIsA503WithinSecondsAndTheStockIsReleased() throws Exception {
        RunningService catalog = startCatalog();
        try (var locker = db.connect()) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Set<UUID> askedBefore = Set.copyOf(reserveAuthorization.keySet());
            long started = System.nanoTime();
            HttpResponse<String> refused = place(item(MUG, 1));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            TestHttp.assertProblem(refused, 503, "database is unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(tookMillis).as("the lock timeout (2 s), not a hang").isBetween(1_500L, 4_500L);
            Set<UUID> asked = new java.util.HashSet<>(reserveAuthorization.keySet());
            asked.removeAll(askedBefore);
            assertThat(asked).as("one reservation, for the refused order").hasSize(1);
            Await.until("the refused order's reservation released", java.time.Duration.ofSeconds(5),
                    () -> !reserved.contains(asked.iterator().next()));
            locker.rollback();

            HttpResponse<String> placed = place(item(MUG, 1));
            assertThat(placed.statusCode()).as("the pool recovers by itself: " + placed.body()).isEqualTo(201);
        } finally {
            catalog.stop();
        }
    }

    @Test
    void everyBadTokenIsA401WithABearerChallenge() throws Exception {
        RunningService catalog = startCatalog();
        try {
            long before = orderCount();
            String body = item(MUG, 1);
            long now = Instant.now().getEpochSecond();
            String valid = tokens.customer(ALICE);
            String[] parts = valid.split("\\.");
            String otherPayload = tokens.customer("mallory").split("\\.")[1];
            char[] signature = parts[2].toCharArray();
            signature[signature.length / 2] = signature[signature.length / 2] == 'A' ? 'B' : 'A';
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("not-a-jwt", "malformed");
            cases.put("a.b", "malformed");
            cases.put(tokens.unsigned(TestTokens.claims(ALICE, "customer")), "algorithm must be RS256");
            cases.put(tokens.hs256WithPublicKey(TestTokens.claims(ALICE, "customer")), "algorithm must be RS256");
            cases.put(sign(claims -> claims.put("exp", now - 120)), "Token no longer valid");
            cases.put(sign(claims -> claims.put("nbf", now + 120)), "Token not yet valid");
            cases.put(sign(claims -> claims.put("iss", "http://evil.test")), "issuer");
            cases.put(sign(claims -> claims.put("aud", "someone-else")), "audience is not accepted");
            cases.put(sign(claims -> claims.remove("exp")), "no expiry");
            cases.put(TestTokens.sign(TestTokens.newKey("unknown-" + UUID.randomUUID()),
                    TestTokens.claims(ALICE, "customer")), "unknown key");
            cases.put(TestTokens.sign(TestTokens.newKey(tokens.key().kid()), TestTokens.claims(ALICE, "customer")),
                    "Signature of JWT token is not valid");
            cases.put(parts[0] + "." + otherPayload + "." + parts[2], "Signature of JWT token is not valid");
            cases.put(parts[0] + "." + parts[1] + "." + new String(signature), "Signature of JWT token is not valid");
            cases.forEach((token, detail) -> TestHttp.assertUnauthorized(
                    TestHttp.post(orders.baseUrl() + "/orders", body, token), detail, true));

            TestHttp.assertUnauthorized(TestHttp.post(orders.baseUrl() + "/orders", body), "required", false);
            TestHttp.assertUnauthorized(TestHttp.send(HttpRequest.newBuilder(URI.create(orders.baseUrl() + "/orders"))
                    .header("Authorization", "Basic YWxpY2U6c2VjcmV0").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))), "required", false); // RFC 6750 §3.1
            TestHttp.assertUnauthorized(TestHttp.get(orders.baseUrl() + "/orders/" + UUID.randomUUID()),
                    "required", false);
            assertThat(orderCount()).isEqualTo(before);
        } finally {
            catalog.stop();
        }
    }

    @Test
    void aKeyPublishedAfterStartIsTrustedWithoutARestart() {
        RunningService catalog = startCatalog();
        try {
            TestTokens.SigningKey rotated = TestTokens.newKey("rotated-" + UUID.randomUUID());
            String token = TestTokens.sign(rotated, TestTokens.claims(ALICE, "customer"));
            TestHttp.assertUnauthorized(TestHttp.post(orders.baseUrl() + "/orders", item(MUG, 1), token),
                    "unknown key", true);

            tokens.addKey(rotated);

            Await.until("a token signed with the new key is accepted", java.time.Duration.ofSeconds(10),
                    () -> TestHttp.post(orders.baseUrl() + "/orders", item(MUG, 1), token).statusCode() == 201);
        } finally {
            catalog.stop();
        }
    }

    @Test
    void onlyCustomersPlaceOrdersAndEachSeesOnlyTheirOwn() {
        RunningService catalog = startCatalog();
        try {
            HttpResponse<String> placed = place(item(MUG, 1));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            String location = orders.baseUrl() + placed.headers().firstValue("Location").orElseThrow();

            TestHttp.assertProblem(TestHttp.get(location, tokens.customer("bob-" + UUID.randomUUID())), 404,
                    "no order");
            HttpResponse<String> asAdmin = TestHttp.get(location, tokens.admin("ops"));
            assertThat(asAdmin.statusCode()).as(asAdmin.body()).isEqualTo(200);
            assertThat(TestHttp.json(asAdmin).get("customerId").asText()).isEqualTo(ALICE);
            assertThat(TestHttp.get(location, alice).statusCode()).isEqualTo(200);

            TestHttp.assertProblem(TestHttp.post(orders.baseUrl() + "/orders", item(MUG, 1), tokens.admin("ops")),
                    403, "requires role customer");
            TestHttp.assertProblem(TestHttp.post(orders.baseUrl() + "/orders", item(MUG, 1),
                    tokens.token("nobody")), 403, "requires role customer");
            TestHttp.assertProblem(TestHttp.get(orders.baseUrl() + "/admin/dead-letters", alice), 403,
                    "requires role admin");
            TestHttp.assertUnauthorized(TestHttp.get(orders.baseUrl() + "/admin/dead-letters"), "required", false);
            assertThat(TestHttp.get(orders.baseUrl() + "/admin/dead-letters", tokens.admin("ops")).statusCode())
                    .isEqualTo(200);
            assertThat(TestHttp.get(orders.baseUrl() + "/observe/health/ready").statusCode()).isEqualTo(200);
        } finally {
            catalog.stop();
        }
    }

    private static String sign(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = TestTokens.claims(ALICE, "customer");
        change.accept(claims);
        return TestTokens.sign(tokens.key(), claims);
    }

    /** A stand-in catalog on the real nats-server: prices from {@code PRODUCTS}, stock never runs out. */
    private static RunningService startCatalog() {
        return catalogSide.service(CatalogSubjects.SERVICE, "0.0.0-test", "stand-in catalog")
                .endpoint(CatalogSubjects.RESERVE_STOCK, ReserveStockRequest.class, ReserveStockReply.class, (request, context) -> {
                    sleep(catalogDelayMillis);
                    reserveAuthorization.put(request.orderId(), String.valueOf(context.header("Authorization")));
                    List<UUID> ids = request.items().stream().map(ReserveStockRequest.Item::productId).toList();
                    List<UUID> missing = ids.stream().filter(id -> !PRODUCTS.containsKey(id)).toList();
                    if (missing.isEmpty()) {
                        reserved.add(request.orderId());
                    }
                    return new ReserveStockReply(request.orderId(), missing.isEmpty(),
                            missing.isEmpty() ? ids.stream().map(PRODUCTS::get).toList() : List.of(), missing,
                            List.of(), Instant.now().plusSeconds(60));
                })
                .endpoint(CatalogSubjects.RELEASE_STOCK, ReleaseStockRequest.class, ReleaseStockReply.class, (request, context) ->
                        new ReleaseStockReply(request.orderId(), reserved.remove(request.orderId())))
                .start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String item(UUID productId, int quantity) {
        return "{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}]}";
    }

    private static HttpResponse<String> place(String body) {
        return TestHttp.post(orders.baseUrl() + "/orders", body, alice);
    }

    private static HttpResponse<String> placeWithKey(String body, String key, String token) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(orders.baseUrl() + "/orders"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static long unpublished() {
        try (var connection = db.connect();
             var rs = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM messaging_outbox WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long orderCount() throws Exception {
        try (var connection = db.connect();
             var rs = connection.createStatement().executeQuery(
                     "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_lines)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
