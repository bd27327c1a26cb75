package dev.bazaar.orders;

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
import dev.bazaar.testing.ServiceFixture;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a SIGTERM does (the shutdown hook closes the service's lifecycle): readiness goes down while HTTP still
 * serves, a request in flight (waiting 1.5 s for a slow catalog) still gets its 201, and the order's event is out of
 * the outbox before the service is gone.
 */
class ShutdownIT {
    static final UUID MUG = UUID.randomUUID();

    @Test
    void readinessGoesDownFirstAndTheRequestInFlightFinishes() throws Exception {
        try (TestTokens tokens = TestTokens.start();
             TestNatsServer natsServer = TestNatsServer.start();
             TestDatabase db = TestDatabase.create("orders")) {
            Map<String, String> config = new HashMap<>(tokens.config());
            config.put("orders.catalog.timeout", "PT3S");
            config.put("shutdown.readiness-delay", "PT0.5S");
            RunningApp orders = Main.start(ServiceFixture.config(Main.class, natsServer, db, config),
                    Telemetry.forTests("orders", InMemorySpanExporter.create()));
            CountDownLatch reserving = new CountDownLatch(1);
            try (NatsMessaging catalogSide = NatsMessaging.connect(NatsSettings.local(natsServer.url(), "catalog-stand-in"),
                    Telemetry.forTests("catalog", InMemorySpanExporter.create()).openTelemetry(), Json.codec())) {
                RunningService catalog = slowCatalog(catalogSide, reserving);
                String ready = orders.baseUrl() + "/observe/health/ready";
                assertThat(TestHttp.get(ready).statusCode()).isEqualTo(200);

                CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> TestHttp.post(
                        orders.baseUrl() + "/orders", "{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":1}]}",
                        tokens.customer("ann")));
                assertThat(reserving.await(10, TimeUnit.SECONDS)).as("the order reached catalog").isTrue();
                long began = System.nanoTime();
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(orders::close);

                Await.until("readiness reports down while HTTP still serves", Duration.ofSeconds(2),
                        () -> TestHttp.get(ready).statusCode() == 503);
                HttpResponse<String> placed = inFlight.get(10, TimeUnit.SECONDS);
                assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
                stopped.get(15, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
                assertThat(unpublishedOutboxRows(db)).as("the relay drained before the connection closed").isZero();
                catalog.stop();
            }
        }
    }

    private static long unpublishedOutboxRows(TestDatabase db) throws Exception {
        try (var connection = db.connect();
             var rs = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM messaging_outbox WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static RunningService slowCatalog(NatsMessaging nats, CountDownLatch reserving) {
        ProductInfo mug = new ProductInfo(MUG, "MUG", "Mug", new Money(1250, "EUR"), 10);
        return nats.service(CatalogSubjects.SERVICE, "0.0.0-test", "slow stand-in catalog")
                .endpoint(CatalogSubjects.RESERVE_STOCK, ReserveStockRequest.class, ReserveStockReply.class, (request, context) -> {
                    reserving.countDown();
                    try {
                        Thread.sleep(1_500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new ReserveStockReply(request.orderId(), true, List.of(mug), List.of(), List.of(),
                            Instant.now().plusSeconds(60));
                })
                .endpoint(CatalogSubjects.RELEASE_STOCK, ReleaseStockRequest.class, ReleaseStockReply.class, (request, context) ->
                        new ReleaseStockReply(request.orderId(), false))
                .start();
    }
}
