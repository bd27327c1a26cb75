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
import dev.bazaar.testing.ServiceFixture;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.time.Instant;
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

    static TestNatsServer natsServer;
    static TestDatabase db;
    static RunningApp orders;
    static NatsMessaging catalogSide;
    static volatile long catalogDelayMillis;
    static final Set<UUID> reserved = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        natsServer = TestNatsServer.start();
        db = TestDatabase.create("orders");
        orders = Main.start(ServiceFixture.config(natsServer, db, Map.of("orders.catalog.timeout", "PT0.5S")),
                Telemetry.forTests("orders", InMemorySpanExporter.create()));
        catalogSide = NatsMessaging.connect(NatsSettings.local(natsServer.url(), "catalog-stand-in"),
                Telemetry.forTests("catalog", InMemorySpanExporter.create()).openTelemetry(), Json.codec());
    }

    @AfterAll
    static void stop() {
        catalogSide.close();
        orders.close();
        db.close();
        natsServer.close();
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
            assertThat(order.get("total").get("amount").asLong()).isEqualTo(2 * 1250 + 2400);
            assertThat(order.get("total").get("currency").asText()).isEqualTo("EUR");
            String location = placed.headers().firstValue("Location").orElseThrow();
            assertThat(location).isEqualTo("/orders/" + order.get("id").asText());

            HttpResponse<String> read = TestHttp.get(orders.baseUrl() + location);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(read).get("lines")).hasSize(2);
            assertThat(TestHttp.json(read).get("history").get(0).get("status").asText()).isEqualTo("PLACED");
        } finally {
            catalog.stop();
        }
    }

    @Test
    void badOrdersGetAProblemAndWriteNothing() throws Exception {
        RunningService catalog = startCatalog();
        try {
            long before = orderCount();
            TestHttp.assertProblem(place("{\"items\":["), 400, "malformed JSON");
            TestHttp.assertProblem(TestHttp.send(HttpRequest.newBuilder(URI.create(orders.baseUrl() + "/orders"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(item(MUG, 1)))), 415, "must be application/json");
            TestHttp.assertProblem(place("{\"items\":[]}"), 400, "at least one");
            TestHttp.assertProblem(place("{}"), 400, "at least one");
            TestHttp.assertProblem(place(item(MUG, 0)), 400, "quantity must be 1..1000");
            TestHttp.assertProblem(place(item(MUG, 1001)), 400, "quantity must be 1..1000");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"" + MUG + "\"}]}"), 400, "quantity");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"nope\",\"quantity\":1}]}"), 400, "malformed JSON");
            TestHttp.assertProblem(place(item(UUID.randomUUID(), 1)), 400, "unknown product");
            TestHttp.assertProblem(place("{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":1},{\"productId\":\"" + LAMP
                    + "\",\"quantity\":1}]}"), 400, "one currency");
            String lines = IntStream.range(0, 101).mapToObj(i -> "{\"productId\":\"" + UUID.randomUUID()
                    + "\",\"quantity\":1}").collect(Collectors.joining(","));
            TestHttp.assertProblem(place("{\"items\":[" + lines + "]}"), 400, "at most 100 lines");
            TestHttp.assertProblem(TestHttp.get(orders.baseUrl() + "/orders/" + UUID.randomUUID()), 404, "no order");
            assertThat(orderCount()).isEqualTo(before);
            assertThat(reserved).as("the mixed-currency reservation was released at once").isEmpty();
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

    /** A stand-in catalog on the real nats-server: prices from {@code PRODUCTS}, stock never runs out. */
    private static RunningService startCatalog() {
        return catalogSide.service(CatalogSubjects.SERVICE, "0.0.0-test", "stand-in catalog")
                .endpoint(CatalogSubjects.RESERVE_STOCK, ReserveStockRequest.class, (request, context) -> {
                    sleep(catalogDelayMillis);
                    List<UUID> ids = request.items().stream().map(ReserveStockRequest.Item::productId).toList();
                    List<UUID> missing = ids.stream().filter(id -> !PRODUCTS.containsKey(id)).toList();
                    if (missing.isEmpty()) {
                        reserved.add(request.orderId());
                    }
                    return new ReserveStockReply(request.orderId(), missing.isEmpty(),
                            missing.isEmpty() ? ids.stream().map(PRODUCTS::get).toList() : List.of(), missing,
                            List.of(), Instant.now().plusSeconds(60));
                })
                .endpoint(CatalogSubjects.RELEASE_STOCK, ReleaseStockRequest.class, (request, context) ->
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
        return TestHttp.post(orders.baseUrl() + "/orders", body);
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
