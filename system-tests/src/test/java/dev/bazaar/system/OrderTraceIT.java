package dev.bazaar.system;

import dev.bazaar.kit.Json;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.ServiceFixture;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.nats.service.Discovery;
import io.nats.service.PingResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Catalog and orders started together (each with its own OpenTelemetry SDK and service name, one shared in-memory
 * exporter), driven only over HTTP and NATS.
 */
class OrderTraceIT {
    static final String MUG = "00000000-0000-4000-8000-000000000001";
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    /** The order, its lines, its first status entry and its order-placed event: one statement, one span. */
    static final String ORDER_INSERT = "INSERT orders INSERT order_lines INSERT order_status_history INSERT messaging_outbox";
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static TestTokens tokens;
    static TestNatsServer natsServer;
    static TestDatabase catalogDb;
    static TestDatabase ordersDb;
    static RunningApp catalog;
    static RunningApp orders;

    @BeforeAll
    static void start() {
        tokens = TestTokens.start();
        natsServer = TestNatsServer.start(ProjectNatsAuth.configLines());
        catalogDb = TestDatabase.create("sys_catalog");
        ordersDb = TestDatabase.create("sys_orders");
        catalog = dev.bazaar.catalog.Main.start(ServiceFixture.config(dev.bazaar.catalog.Main.class, natsServer, catalogDb, settings("catalog")),
                Telemetry.forTests("catalog", SPANS));
        orders = dev.bazaar.orders.Main.start(ServiceFixture.config(dev.bazaar.orders.Main.class, natsServer, ordersDb, settings("orders")),
                Telemetry.forTests("orders", SPANS));
    }

    /** The service's own NATS user (the project's real permissions) and the test token issuer. */
    private static Map<String, String> settings(String service) {
        Map<String, String> values = new java.util.HashMap<>(tokens.config());
        values.putAll(ProjectNatsAuth.serviceConfig(service));
        return values;
    }

    @AfterAll
    static void stop() {
        orders.close();
        catalog.close();
        ordersDb.close();
        catalogDb.close();
        natsServer.close();
        tokens.close();
    }

    @Test
    void placingAnOrderMakesOneConnectedTraceAcrossBothServices() {
        String customer = tokens.customer("trace-customer");
        HttpResponse<String> placed = TestHttp.post(orders.baseUrl() + "/orders",
                "{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":3}]}", customer);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String orderId = TestHttp.json(placed).get("id").asText();
        assertThat(TestHttp.json(TestHttp.get(orders.baseUrl() + "/orders/" + orderId, customer)).get("total").get("amount")
                .asLong()).isEqualTo(3 * 1250);

        SpanData http = Await.value("the POST /orders server span", Duration.ofSeconds(5), () -> SPANS.getFinishedSpanItems()
                .stream().filter(s -> s.getName().equals("POST /orders") && s.getKind() == SpanKind.SERVER)
                .filter(s -> Long.valueOf(201).equals(s.getAttributes().get(AttributeKey.longKey("http.response.status_code"))))
                .findFirst().orElse(null));
        String traceId = http.getTraceId();
        List<SpanData> trace = Await.value("every span of the trace", Duration.ofSeconds(5), () -> {
            List<SpanData> spans = SPANS.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            return spans.stream().anyMatch(s -> s.getName().equals(ORDER_INSERT)) ? spans : null;
        });

        assertThat(service(http)).isEqualTo("orders");
        SpanData natsClient = one(trace, "request catalog.reserve-stock", SpanKind.CLIENT);
        SpanData natsServer = one(trace, "process catalog.reserve-stock", SpanKind.SERVER);
        SpanData catalogSelect = one(trace, "SELECT products", SpanKind.CLIENT);
        SpanData orderInsert = one(trace, ORDER_INSERT, SpanKind.CLIENT);

        assertThat(natsClient.getParentSpanId()).isEqualTo(http.getSpanId());
        assertThat(service(natsClient)).isEqualTo("orders");
        assertThat(natsClient.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("nats");
        assertThat(natsServer.getParentSpanId()).isEqualTo(natsClient.getSpanId());
        assertThat(service(natsServer)).isEqualTo("catalog");
        assertThat(catalogSelect.getParentSpanId()).isEqualTo(natsServer.getSpanId());
        assertThat(service(catalogSelect)).isEqualTo("catalog");
        assertThat(orderInsert.getParentSpanId()).isEqualTo(http.getSpanId());
        assertThat(service(orderInsert)).isEqualTo("orders");
        assertThat(orderInsert.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("INSERT");
        assertThat(trace).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));
    }

    @Test
    void bothServicesAreDiscoverableOverNats() {
        try (NatsMessaging client = NatsMessaging.connect(NatsSettings.local(natsServer.url(), "system-it")
                        .withUserInfo("ops", ProjectNatsAuth.password("ops")),
                Telemetry.forTests("client", InMemorySpanExporter.create()).openTelemetry(), Json.codec())) {
            List<PingResponse> pings = new Discovery(client.connection(), 500, 10).ping();
            assertThat(pings).extracting(PingResponse::getName).contains("catalog", "orders");
        }
    }

    private static SpanData one(List<SpanData> trace, String name, SpanKind kind) {
        List<SpanData> matching = trace.stream().filter(named(name).and(s -> s.getKind() == kind)).toList();
        assertThat(matching).as("spans named " + name + " in " + trace.stream().map(SpanData::getName).toList())
                .hasSize(1);
        return matching.getFirst();
    }

    private static Predicate<SpanData> named(String name) {
        return span -> span.getName().equals(name);
    }

    private static String service(SpanData span) {
        return span.getResource().getAttribute(SERVICE_NAME);
    }
}
