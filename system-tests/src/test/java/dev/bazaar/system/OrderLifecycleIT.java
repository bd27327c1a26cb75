package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestTokens;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole saga with the four services started together (each with its own OpenTelemetry SDK, one shared in-memory
 * exporter), driven only over HTTP: an order reaches CONFIRMED, a declined one CANCELLED with its stock back, and
 * one order is one trace from {@code POST /orders} through the relays, payments, the order update and notifications.
 */
class OrderLifecycleIT {
    static final String MUG = "00000000-0000-4000-8000-000000000001";
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final String CUSTOMER = "customer-" + java.util.UUID.randomUUID();
    static SystemUnderTest system;
    static TestTokens tokens;
    static RunningApp catalog;
    static RunningApp orders;
    static RunningApp payments;
    static RunningApp notifications;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.start("life");
        tokens = system.tokens;
        catalog = system.start("catalog", dev.bazaar.catalog.Main::start, SPANS);
        orders = system.start("orders", dev.bazaar.orders.Main::start, SPANS);
        payments = system.start("payments", dev.bazaar.payments.Main::start, SPANS);
        notifications = system.start("notifications", dev.bazaar.notifications.Main::start, SPANS);
    }

    @AfterAll
    static void stop() throws Exception {
        system.close();
    }

    @Test
    void anOrderIsConfirmedAndItsWholeJourneyIsOneTrace() {
        JsonNode order = place("tok_visa", 1);
        JsonNode confirmed = awaitStatus(order.get("id").asText(), "CONFIRMED");
        assertThat(confirmed.get("history").findValuesAsText("status")).containsExactly("PLACED", "CONFIRMED");
        assertThat(confirmed.get("customerId").asText()).as("the token's subject").isEqualTo(CUSTOMER);
        Await.until("the customer to be told, and only them", Duration.ofSeconds(5), () ->
                TestHttp.get(notifications.baseUrl() + "/notifications", tokens.customer(CUSTOMER)).body()
                        .contains("\"orderId\":\"" + order.get("id").asText() + "\",\"status\":\"CONFIRMED\""));
        assertThat(TestHttp.get(notifications.baseUrl() + "/notifications", tokens.customer("someone-else")).body())
                .doesNotContain(order.get("id").asText());

        // The only order this class confirms: its trace is the one that reaches notifications' confirmation.
        List<SpanData> trace = Await.value("the trace to reach notifications of the confirmation", Duration.ofSeconds(10),
                () -> SPANS.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("POST /orders") && s.getKind() == SpanKind.SERVER)
                        .map(s -> spansOf(s.getTraceId()))
                        .filter(spans -> find(spans, "process orders.events.order-confirmed", "notifications").isPresent())
                        .findFirst().orElse(null));

        SpanData http = only(trace, "POST /orders", "orders", SpanKind.SERVER);
        SpanData reserve = only(trace, "request catalog.reserve-stock", "orders", SpanKind.CLIENT);
        SpanData reserveServed = only(trace, "process catalog.reserve-stock", "catalog", SpanKind.SERVER);
        SpanData placedSent = only(trace, "send orders.events.order-placed", "orders", SpanKind.PRODUCER);
        SpanData paymentsGotIt = only(trace, "process orders.events.order-placed", "payments", SpanKind.CONSUMER);
        SpanData authorizedSent = only(trace, "send payments.events.payment-authorized", "payments", SpanKind.PRODUCER);
        SpanData ordersGotIt = only(trace, "process payments.events.payment-authorized", "orders", SpanKind.CONSUMER);
        SpanData confirmedSent = only(trace, "send orders.events.order-confirmed", "orders", SpanKind.PRODUCER);
        SpanData notified = only(trace, "process orders.events.order-confirmed", "notifications", SpanKind.CONSUMER);

        assertThat(reserve.getParentSpanId()).isEqualTo(http.getSpanId());
        assertThat(reserveServed.getParentSpanId()).isEqualTo(reserve.getSpanId());
        assertThat(placedSent.getParentSpanId()).as("the relay continues the request's trace").isEqualTo(http.getSpanId());
        assertChildAndLink(paymentsGotIt, placedSent);
        assertThat(authorizedSent.getParentSpanId()).isEqualTo(paymentsGotIt.getSpanId());
        assertChildAndLink(ordersGotIt, authorizedSent);
        assertThat(confirmedSent.getParentSpanId()).isEqualTo(ordersGotIt.getSpanId());
        assertChildAndLink(notified, confirmedSent);
        assertChildAndLink(only(trace, "process orders.events.order-placed", "notifications", SpanKind.CONSUMER),
                placedSent);
        assertChildAndLink(only(trace, "process orders.events.order-placed", "catalog", SpanKind.CONSUMER), placedSent);
    }

    @Test
    void aDeclinedPaymentCancelsTheOrderAndReturnsItsStock() throws Exception {
        int stockBefore = stock();
        JsonNode order = place("tok_declined", 2);
        assertThat(stock()).isEqualTo(stockBefore - 2);

        JsonNode cancelled = awaitStatus(order.get("id").asText(), "CANCELLED");
        assertThat(cancelled.get("history").get(1).get("reason").asText()).contains("declined");
        Await.until("the cancelled order's stock to come back", Duration.ofSeconds(5), () -> stock() == stockBefore);
        // Payments read tok_declined, yet the order-placed event that catalog and notifications also receive, and
        // the stream keeps for 7 days, holds it sealed for payments only (issue 10).
        assertThat(lastOrderPlacedInTheStream()).contains(order.get("id").asText()).contains("\"paymentToken\":\"sealed.v1.")
                .doesNotContain("tok_declined");
    }

    private static String lastOrderPlacedInTheStream() throws Exception {
        io.nats.client.Options options = new io.nats.client.Options.Builder().server(system.nats.url())
                .userInfo("ops", dev.bazaar.testing.ProjectNatsAuth.password("ops")).build();
        try (io.nats.client.Connection ops = io.nats.client.Nats.connect(options)) {
            return new String(ops.jetStreamManagement().getLastMessage("ORDERS", "orders.events.order-placed")
                    .getData(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoConcurrentOrdersForTheLastUnitMakeOneOrder() throws Exception {
        HttpResponse<String> created = TestHttp.post(catalog.baseUrl() + "/products", "{\"sku\":\"LAST-UNIT\","
                + "\"name\":\"The last one\",\"price\":{\"amount\":500,\"currency\":\"EUR\"},\"stock\":1}",
                tokens.admin("ops"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String product = TestHttp.json(created).get("id").asText();
        String body = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}";
        List<Integer> statuses;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = executor.submit(() -> TestHttp.post(orders.baseUrl() + "/orders", body, customer()));
            var second = executor.submit(() -> TestHttp.post(orders.baseUrl() + "/orders", body, customer()));
            statuses = List.of(first.get().statusCode(), second.get().statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    }

    private static JsonNode place(String paymentToken, int quantity) {
        HttpResponse<String> placed = TestHttp.post(orders.baseUrl() + "/orders", "{\"items\":[{\"productId\":\"" + MUG
                + "\",\"quantity\":" + quantity + "}],\"paymentToken\":\"" + paymentToken + "\"}", customer());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        return TestHttp.json(placed);
    }

    private static JsonNode awaitStatus(String orderId, String status) {
        return Await.value("order " + orderId + " to be " + status, Duration.ofSeconds(5), () -> {
            JsonNode order = TestHttp.json(TestHttp.get(orders.baseUrl() + "/orders/" + orderId, customer()));
            return status.equals(order.get("status").asText()) ? order : null;
        });
    }

    private static String customer() {
        return tokens.customer(CUSTOMER);
    }

    private static int stock() {
        return TestHttp.json(TestHttp.get(catalog.baseUrl() + "/products/" + MUG)).get("stock").asInt();
    }

    private static List<SpanData> spansOf(String traceId) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static Optional<SpanData> find(List<SpanData> spans, String name, String service) {
        return spans.stream().filter(s -> s.getName().equals(name) && service.equals(s.getResource().getAttribute(SERVICE_NAME)))
                .findFirst();
    }

    private static SpanData only(List<SpanData> trace, String name, String service, SpanKind kind) {
        List<SpanData> matching = trace.stream().filter(s -> s.getName().equals(name) && s.getKind() == kind
                && service.equals(s.getResource().getAttribute(SERVICE_NAME))).toList();
        assertThat(matching).as(name + " in " + service + " among " + trace.stream()
                .map(s -> s.getResource().getAttribute(SERVICE_NAME) + ":" + s.getName()).toList()).hasSize(1);
        return matching.getFirst();
    }

    private static void assertChildAndLink(SpanData consumer, SpanData producer) {
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(consumer.getLinks()).anySatisfy(link ->
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(producer.getSpanId()));
    }
}
