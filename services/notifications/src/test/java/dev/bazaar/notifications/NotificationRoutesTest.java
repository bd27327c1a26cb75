package dev.bazaar.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.SseTestClient;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestTokens;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications' routes ({@link Main#routing}, after the kit's shared routing) on Helidon's test server set up as the
 * kit sets up every service's ({@code @SetUpServer}), over a real socket, with a fake repository and no NATS: the
 * live feed is fed directly.
 */
@ServerTest
class NotificationRoutesTest {
    static final Duration KEEP_ALIVE = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final InMemoryNotificationRepository REPOSITORY = new InMemoryNotificationRepository();
    static final LiveFeed FEED = new LiveFeed(16);
    static final TestTokens tokens = TestTokens.start();
    /** The shipped configuration, the test issuer's token settings and an ephemeral port on top. */
    static final Config CONFIG = Config.just(ConfigSources.create(tokens.config()),
            ConfigSources.create(Map.of("server.port", "0")), ConfigSources.classpath("application.yaml"));
    final String base;

    NotificationRoutesTest(WebServer server) {
        this.base = "http://127.0.0.1:" + server.port() + "/notifications";
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        HttpServers.configure(server, "notifications", CONFIG.get("server"), List.of(), Map.of());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        NotificationService service = new NotificationService(REPOSITORY, FEED::deliver, java.time.Clock.systemUTC(),
                UUID::randomUUID);
        HttpSecurity security = new HttpSecurity(TokenValidator.create(
                SecuritySettings.from(CONFIG.get("security"))));
        Main.routing(HttpServers.routing(routing, OpenTelemetry.noop(), security, null), service, FEED, KEEP_ALIVE);
    }

    @AfterAll
    static void stop() {
        FEED.close();
        tokens.close();
    }

    @Test
    void streamsEachNewNotificationAsAServerSentEvent() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        try (SseTestClient client = SseTestClient.open(base + "/stream", tokens.customer(customer))) {
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
        // A stream an earlier test closed is only forgotten at its next keep-alive: count from none.
        Await.until("earlier streams are forgotten", WAIT, () -> FEED.subscribers() == 0);
        int before = FEED.subscribers();
        SseTestClient client = SseTestClient.open(base + "/stream", tokens.customer(customer));
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
        var response = TestHttp.get(base + "?limit=2", tokens.customer(customer));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = TestHttp.json(response);
        assertThat(page.get("notifications").findValuesAsText("message")).containsExactly("n2", "n1");
        JsonNode last = TestHttp.json(TestHttp.get(base + "?limit=2&cursor=" + page.get("next").asText(),
                tokens.customer(customer)));
        assertThat(last.get("notifications").findValuesAsText("message")).containsExactly("n0");
        assertThat(last.has("next")).as("the last page has no next").isFalse();
    }

    @Test
    void refusesRequestsWithoutATokenOrWithBadParameters() {
        TestHttp.assertUnauthorized(TestHttp.get(base), "required", false);
        TestHttp.assertUnauthorized(TestHttp.get(base + "/stream"), "required", false);
        String token = tokens.customer("c");
        TestHttp.assertProblem(TestHttp.get(base + "?limit=0", token), 400, "limit must be 1..100");
        TestHttp.assertProblem(TestHttp.get(base + "?limit=x", token), 400, "limit must be an integer");
        TestHttp.assertProblem(TestHttp.get(base + "?cursor=%00", token), 400, "cursor is malformed");
        TestHttp.assertProblem(TestHttp.get(base + "?cursor=bm9wZQ", token), 400, "cursor is malformed");
        TestHttp.assertProblem(TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/stream"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")), 400, "text/event-stream");
    }

    @Test
    void aHeadOfTheStreamAnswersItsHeadersAndDoesNotStream() throws Exception {
        Await.until("earlier streams are forgotten", WAIT, () -> FEED.subscribers() == 0);
        String token = tokens.customer("c-" + UUID.randomUUID());
        HttpRequest.Builder head = HttpRequest.newBuilder(URI.create(base + "/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        long started = System.nanoTime();
        HttpResponse<String> response = TestHttp.send(head);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered at once").isLessThan(WAIT);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.body()).isEmpty();
        assertThat(FEED.subscribers()).as("no live subscription for a HEAD").isZero();
        // and as the GET would: refused without a token or without Accept: text/event-stream
        assertThat(TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/stream"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(401);
        assertThat(TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(400);
        // the connection is still in step: a GET after the HEADs is answered
        assertThat(TestHttp.get(base, token).statusCode()).isEqualTo(200);
    }
}
