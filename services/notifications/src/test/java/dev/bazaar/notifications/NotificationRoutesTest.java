package dev.bazaar.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Json;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestHttp;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications' routes on a real webserver (the kit's, as in production) over a real socket, with a fake repository
 * and no NATS: the live feed is fed directly.
 */
class NotificationRoutesTest {
    static final Duration KEEP_ALIVE = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final InMemoryNotificationRepository REPOSITORY = new InMemoryNotificationRepository();
    static final LiveFeed FEED = new LiveFeed(16);
    static WebServer server;
    static String base;

    @BeforeAll
    static void start() {
        NotificationService service = new NotificationService(REPOSITORY, FEED::deliver, java.time.Clock.systemUTC(),
                UUID::randomUUID);
        server = HttpServers.start(Config.just(ConfigSources.create(Map.of("port", "0", "host", "127.0.0.1"))),
                OpenTelemetry.noop(), Json.codec(), routing -> Main.routing(routing, service, FEED, KEEP_ALIVE),
                List.of());
        base = "http://127.0.0.1:" + server.port() + "/notifications";
    }

    @AfterAll
    static void stop() {
        FEED.close();
        server.stop();
    }

    @Test
    void streamsEachNewNotificationAsAServerSentEvent() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        try (SseTestClient client = SseTestClient.open(base + "/stream?customerId=" + customer)) {
            assertThat(client.response().statusCode()).isEqualTo(200);
            assertThat(client.response().headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(client.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
            Notification n = new Notification(UUID.randomUUID(), UUID.randomUUID(), customer, UUID.randomUUID(),
                    NotificationStatus.CONFIRMED, "Your order 12345678 was confirmed.", Instant.now());
            FEED.deliver(LiveFeedTest.notification("someone-else"));
            FEED.deliver(n);

            SseTestClient.Event event = client.nextNamed("notification", WAIT);
            assertThat(event.id()).isEqualTo(n.id().toString());
            JsonNode data = Json.codec().mapper().readTree(event.data());
            assertThat(data.get("id").asText()).isEqualTo(n.id().toString());
            assertThat(data.get("customerId").asText()).isEqualTo(customer);
            assertThat(data.get("orderId").asText()).isEqualTo(n.orderId().toString());
            assertThat(data.get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(data.get("message").asText()).isEqualTo(n.message());
            assertThat(data.get("createdAt").asText()).isEqualTo(n.createdAt().toString());
        }
    }

    @Test
    void keepsAnIdleStreamAliveAndForgetsAClientThatLeft() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        int before = FEED.subscribers();
        SseTestClient client = SseTestClient.open(base + "/stream?customerId=" + customer);
        SseTestClient.Event keepAlive = client.next(WAIT);
        assertThat(keepAlive.comments()).containsExactly("keep-alive");
        assertThat(keepAlive.name()).isEqualTo("keep-alive");
        assertThat(FEED.subscribers()).isEqualTo(before + 1);

        client.close();

        // The server notices at its next write, a keep-alive or two later.
        Await.until("the departed client is unsubscribed", WAIT, () -> FEED.subscribers() == before);
    }

    @Test
    void listsACustomersNotificationsNewestFirst() {
        String customer = "c-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            REPOSITORY.insertOnce(new Notification(UUID.randomUUID(), UUID.randomUUID(), customer, UUID.randomUUID(),
                    NotificationStatus.PLACED, "n" + i, Instant.parse("2026-11-24T12:00:00Z").plusSeconds(i)));
        }
        var response = TestHttp.get(base + "?customerId=" + customer + "&limit=2");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = TestHttp.json(response);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("notifications").findValuesAsText("message")).containsExactly("n2", "n1");
    }

    @Test
    void refusesRequestsThatDoNotSayWhoseNotifications() {
        TestHttp.assertProblem(TestHttp.get(base), 400, "customerId is required");
        TestHttp.assertProblem(TestHttp.get(base + "?customerId=%20"), 400, "customerId is required");
        TestHttp.assertProblem(TestHttp.get(base + "?customerId=c&limit=0"), 400, "limit must be 1..100");
        TestHttp.assertProblem(TestHttp.get(base + "?customerId=c&limit=x"), 400, "limit must be an integer");
        TestHttp.assertProblem(TestHttp.get(base + "/stream"), 400, "customerId is required");
        TestHttp.assertProblem(TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/stream?customerId=c"))
                .header("Accept", "application/json")), 400, "text/event-stream");
    }
}
