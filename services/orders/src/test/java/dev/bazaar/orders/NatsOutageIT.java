package dev.bazaar.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
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

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders while its nats-server is stopped or frozen (issue 9, gap 6): a fast 503 instead of a 504 at the catalog
 * timeout, and readiness that follows the connection, a frozen server included (noticed by pings).
 */
class NatsOutageIT {
    static ServiceUnderTest sut;
    static TestTokens tokens;
    static TestNatsServer nats;
    static TestDatabase db;
    static RunningApp orders;
    /**
     * Orders' catalog timeout here: what a request waited before the fix (jnats buffered it for the reconnect, a 504
     * at this timeout). Long, so that "at once" can be told from it on a busy machine (a 503 after the
     * {@code RequestClient.FAILOVER} of 0.5 s took 1.4-4.5 s at load 15-20 against a 2 s timeout, cold).
     */
    static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(8);

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.create(Main.class, "orders_outage");
        tokens = sut.tokens;
        nats = sut.nats;
        db = sut.db;
        orders = sut.start(config -> Main.start(config, Telemetry.forTests("orders", InMemorySpanExporter.create())),
                Map.of("orders.catalog.timeout", CATALOG_TIMEOUT.toString(), "nats.ping-interval", "PT1S"));
        Await.until("orders ready", Duration.ofSeconds(20), NatsOutageIT::ready);
        // The path warm (the JWKS read on the first token, the route, the request client): with NATS up and no
        // catalog, nobody responds, a 503 after the failover time. What is timed below is then the outage alone.
        HttpResponse<String> warm = placeOne();
        TestHttp.assertProblem(warm, 503, "not available");
    }

    @AfterAll
    static void stop() {
        sut.close();
    }

    @Test
    void natsStoppedIsA503AtOnceAndReadinessFollows() {
        nats.stop();
        try {
            Await.until("readiness down", Duration.ofSeconds(10), () -> !ready());
            long started = System.nanoTime();
            HttpResponse<String> refused = placeOne();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            TestHttp.assertProblem(refused, 503, "NATS is disconnected");
            assertThat(took).as("at once (the 0.5 s failover), not at the catalog timeout " + CATALOG_TIMEOUT)
                    .isLessThan(CATALOG_TIMEOUT.dividedBy(2));
        } finally {
            nats.restart();
        }
        Await.until("readiness back after the restart", Duration.ofSeconds(20), NatsOutageIT::ready);
    }

    @Test
    void aFrozenServerIsNoticedWithinSecondsAndReadinessComesBack() {
        nats.pause();
        long paused = System.nanoTime();
        try {
            Await.until("the connection found stale while nats-server is frozen", Duration.ofSeconds(10),
                    () -> "DOWN".equals(check("nats")));
            // Ping every 1 s, two unanswered: stale after 2-3 s (jnats' default, 2 min pings, took 4-6 minutes).
            assertThat(Duration.ofNanos(System.nanoTime() - paused)).isLessThan(Duration.ofSeconds(8));
        } finally {
            nats.resume();
        }
        Await.until("readiness back after the resume", Duration.ofSeconds(20), NatsOutageIT::ready);
    }

    private static HttpResponse<String> placeOne() {
        return TestHttp.post(orders.baseUrl() + "/orders",
                "{\"items\":[{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}]}",
                tokens.customer("carol-" + UUID.randomUUID()));
    }

    private static boolean ready() {
        try {
            return TestHttp.get(orders.baseUrl() + "/observe/health/ready", Duration.ofSeconds(15)).statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The status of one readiness check ("UP", "DOWN"), or null. */
    private static String check(String name) {
        HttpResponse<String> health = TestHttp.get(orders.baseUrl() + "/observe/health/ready", Duration.ofSeconds(15));
        for (JsonNode check : TestHttp.json(health).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return null;
    }
}
