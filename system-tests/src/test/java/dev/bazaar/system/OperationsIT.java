package dev.bazaar.system;

import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.JsonLogFormatter;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestTokens;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an SRE sees: after known traffic, each service's {@code /observe/metrics} (Prometheus text) counts exactly
 * that traffic by route and status, and NATS, JetStream, outbox and pool series are there; a log line written while
 * handling an order carries the order's trace id.
 */
class OperationsIT {
    static final String MUG = OrderLifecycleIT.MUG;
    /** Held strongly: JUL keeps loggers weakly, and a collected parent would take the handler with it. */
    static final Logger PAYMENTS_LOGGER = Logger.getLogger("dev.bazaar.payments");
    static final List<String> PAYMENT_LOG = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        {
            setFormatter(new JsonLogFormatter());
        }

        @Override
        public void publish(LogRecord record) {
            PAYMENT_LOG.add(getFormatter().format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    static SystemUnderTest system;
    static TestTokens tokens;
    static RunningApp catalog;
    static RunningApp orders;
    static RunningApp payments;

    @BeforeAll
    static void start() {
        PAYMENTS_LOGGER.addHandler(CAPTURE);
        system = SystemUnderTest.start("ops");
        tokens = system.tokens;
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        catalog = system.start("catalog", dev.bazaar.catalog.Main::start, spans);
        orders = system.start("orders", dev.bazaar.orders.Main::start, spans);
        payments = system.start("payments", dev.bazaar.payments.Main::start, spans);
    }

    @AfterAll
    static void stop() throws Exception {
        PAYMENTS_LOGGER.removeHandler(CAPTURE);
        system.close();
    }

    @Test
    void metricsCountTheTrafficByRouteStatusAndSubject() {
        for (int i = 0; i < 5; i++) {
            assertThat(TestHttp.get(catalog.baseUrl() + "/products/" + MUG).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(TestHttp.get(catalog.baseUrl() + "/products/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        }
        assertThat(TestHttp.post(orders.baseUrl() + "/orders", "{\"items\": [", tokens.customer("ops-customer"))
                .statusCode()).isEqualTo(400);
        assertThat(placeOrder(null).statusCode()).isEqualTo(201);

        Prometheus catalogMetrics = Prometheus.scrape(catalog.baseUrl());
        assertThat(catalogMetrics.value("http_server_requests_seconds_count",
                Map.of("service", "catalog", "route", "/products/{id}", "status", "200"))).isEqualTo(5);
        assertThat(catalogMetrics.value("http_server_requests_seconds_count",
                Map.of("service", "catalog", "route", "/products/{id}", "status", "404", "outcome", "CLIENT_ERROR")))
                .isEqualTo(2);
        assertThat(catalogMetrics.value("nats_server_requests_total",
                Map.of("service", "catalog", "endpoint", "catalog.reserve-stock"))).isEqualTo(1);
        assertThat(catalogMetrics.value("nats_server_errors_total",
                Map.of("service", "catalog", "endpoint", "catalog.reserve-stock"))).isZero();
        assertThat(catalogMetrics.value("db_pool_total", Map.of("service", "catalog"))).isPositive();
        assertThat(catalogMetrics.value("nats_connection_up", Map.of("service", "catalog"))).isEqualTo(1);
        assertThat(catalogMetrics.names()).anyMatch(name -> name.startsWith("memory_") || name.startsWith("jvm_"));

        Prometheus ordersMetrics = Prometheus.scrape(orders.baseUrl());
        assertThat(ordersMetrics.value("http_server_requests_seconds_count",
                Map.of("service", "orders", "method", "POST", "route", "/orders", "status", "400"))).isEqualTo(1);
        assertThat(ordersMetrics.value("http_server_requests_seconds_count",
                Map.of("service", "orders", "method", "POST", "route", "/orders", "status", "201"))).isEqualTo(1);
        assertThat(ordersMetrics.value("nats_client_requests_seconds_count",
                Map.of("service", "orders", "subject", "catalog.reserve-stock", "outcome", "ok"))).isEqualTo(1);
        assertThat(ordersMetrics.value("outbox_backlog", Map.of("service", "orders"))).isGreaterThanOrEqualTo(0);
        assertThat(ordersMetrics.value("outbox_oldest_unpublished_age_seconds", Map.of("service", "orders")))
                .isGreaterThanOrEqualTo(0);

        Await.until("condition", Duration.ofSeconds(10), () -> Prometheus.scrape(payments.baseUrl())
                .value("events_processed_total", Map.of("service", "payments")) >= 1);
        Prometheus paymentsMetrics = Prometheus.scrape(payments.baseUrl());
        assertThat(paymentsMetrics.value("events_dead_lettered_total", Map.of("service", "payments"))).isZero();
        assertThat(paymentsMetrics.value("events_lost_total", Map.of("service", "payments"))).isZero();
        assertThat(paymentsMetrics.value("events_dead_letters_stored",
                Map.of("service", "payments", "stream", "DLQ_PAYMENTS"))).isZero();
        assertThat(paymentsMetrics.value("events_pending", Map.of("service", "payments"))).isGreaterThanOrEqualTo(0);
        assertThat(paymentsMetrics.value("nats_connection_events_total", Map.of("service", "payments", "event", "CONNECTED")))
                .isEqualTo(1);
    }

    @Test
    void logLinesWrittenForAnOrderCarryItsTraceId() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> placed = placeOrder("00-" + traceId + "-00f067aa0ba902b7-01");
        assertThat(placed.statusCode()).isEqualTo(201);
        String orderId = TestHttp.json(placed).get("id").asText();

        Await.until("condition", Duration.ofSeconds(10), () -> PAYMENT_LOG.stream().anyMatch(line -> line.contains(orderId)));
        assertThat(PAYMENT_LOG).filteredOn(line -> line.contains(orderId))
                .allSatisfy(line -> assertThat(line).contains("\"trace_id\":\"" + traceId + "\"")
                        .contains("\"logger\":\"dev.bazaar.payments.").contains("\"level\":\"INFO\""));
    }

    private static HttpResponse<String> placeOrder(String traceparent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orders.baseUrl() + "/orders"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer(tokens.customer("ops-customer")))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":1}],\"paymentToken\":\"tok_visa\"}"));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return TestHttp.send(request);
    }
}
