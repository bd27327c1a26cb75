package dev.bazaar.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderConfirmed;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.notifications.nats.LiveSubjects;
import dev.bazaar.notifications.nats.OrderEventsListener;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.SseTestClient;
import dev.bazaar.testing.ServiceUnderTest;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.nats.client.api.ConsumerInfo;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two notifications instances sharing one database and one durable consumer, on a real nats-server and PostgreSQL,
 * fed by a stand-in for orders that creates the {@code ORDERS} stream and publishes its events.
 */
class NotificationsIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final InMemorySpanExporter FIRST_SPANS = InMemorySpanExporter.create();
    static final InMemorySpanExporter SECOND_SPANS = InMemorySpanExporter.create();

    static TestTokens tokens;
    static ServiceUnderTest sut;
    static TestNatsServer natsServer;
    static TestDatabase db;
    static NatsMessaging ordersSide;
    static EventPublisher orders;
    static RunningApp first;
    static RunningApp second;
    static HttpResponse<String> readyBeforeTheStreamExisted;
    static final Map<String, String> CONFIG = Map.of("notifications.sse.keep-alive", "PT0.5S");
    static final String BOUND = "\"" + OrderEventsListener.DURABLE + "\":\"bound\"";

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.create(Main.class, "notifications");
        tokens = sut.tokens;
        natsServer = sut.nats;
        db = sut.db;
        ordersSide = sut.add(NatsMessaging.connect(NatsSettings.local(natsServer.url(), "orders-stand-in"),
                Telemetry.forTests("orders", InMemorySpanExporter.create()).openTelemetry(), Json.codec()));
        first = sut.start(config -> Main.start(config, Telemetry.forTests("notifications", FIRST_SPANS)), CONFIG);
        readyBeforeTheStreamExisted = TestHttp.get(first.baseUrl() + "/observe/health/ready");
        // Orders creates its stream; notifications' listener binds once it exists.
        Streams.ensure(ordersSide, new StreamSpec(OrdersSubjects.STREAM, List.of(OrdersSubjects.EVENTS)),
                StreamSettings.local());
        orders = new EventPublisher(ordersSide);
        Await.until("the first instance is bound", WAIT, () -> isBound(first));
        second = sut.start(config -> Main.start(config, Telemetry.forTests("notifications", SECOND_SPANS)), CONFIG);
        Await.until("the second instance is bound", WAIT, () -> isBound(second));
    }

    @AfterAll
    static void stop() {
        sut.close();
    }

    @Test
    void answersUnroutedRequestsWith404Or405() {
        TestHttp.assertRoutingFallbacks(first.baseUrl(), "/notifications", "DELETE", "GET, HEAD, OPTIONS");
    }

    @Test
    void isReadyBeforeOrdersCreatedItsStreamAndShowsWhenTheConsumerBinds() {
        // Readiness does not wait for another service's stream (that would chain start-ups); it shows the binding.
        assertThat(readyBeforeTheStreamExisted.statusCode()).isEqualTo(200);
        assertThat(readyBeforeTheStreamExisted.body())
                .contains("nats", "database", "jetstream", "\"" + OrderEventsListener.DURABLE + "\":\"waiting\"");
        HttpResponse<String> ready = TestHttp.get(first.baseUrl() + "/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains(BOUND);
    }

    @Test
    void storesOneNotificationPerOrderEventAndListsThemNewestFirst() {
        String customer = customer();
        UUID order = UUID.randomUUID();
        placed(order, customer);
        confirmed(order, customer);
        cancelled(order, customer, "payment declined");

        JsonNode listed = Await.value("three notifications", WAIT, () -> {
            JsonNode page = list(first, customer);
            return page.size() == 3 ? page : null;
        });
        assertThat(listed.findValuesAsText("status")).containsExactlyInAnyOrder("PLACED", "CONFIRMED", "CANCELLED");
        assertThat(listed.findValuesAsText("orderId")).containsOnly(order.toString());
        assertThat(listed.findValuesAsText("customerId")).containsOnly(customer);
        assertThat(listed.findValuesAsText("message")).contains(
                "Your order " + order.toString().substring(0, 8) + " was cancelled: payment declined.");
        List<Instant> created = listed.findValuesAsText("createdAt").stream().map(Instant::parse).toList();
        assertThat(created).isSortedAccordingTo((a, b) -> b.compareTo(a));
        // Either instance answers from the shared database.
        assertThat(list(second, customer)).isEqualTo(listed);
    }

    @Test
    void anOrderWithoutCustomerIsListedAsAnonymous() {
        UUID order = UUID.randomUUID();
        placed(order, null);
        Await.until("the anonymous notification", WAIT,
                () -> list(first, NotificationService.ANONYMOUS).findValuesAsText("orderId")
                        .contains(order.toString()));
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnce() throws Exception {
        String customer = customer();
        OrderConfirmed event = new OrderConfirmed(UUID.randomUUID(), UUID.randomUUID(), customer, UUID.randomUUID(),
                Instant.now());
        orders.publish(OrdersSubjects.ORDER_CONFIRMED, event.eventId().toString(), event);
        // Within the duplicate window JetStream drops a re-publish; past it (a relay retrying late) it is delivered
        // again, which a different message id stands in for here.
        assertThat(orders.publish(OrdersSubjects.ORDER_CONFIRMED, event.eventId().toString(), event).duplicate())
                .isTrue();
        orders.publish(OrdersSubjects.ORDER_CONFIRMED, event.eventId() + "-republished", event);

        Await.until("both deliveries settled", WAIT, NotificationsIT::consumerIsDrained);
        assertThat(list(first, customer)).hasSize(1);
        assertThat(storedFor(event.eventId())).isEqualTo(1);
    }

    @Test
    void pushesANewNotificationToALiveClient() throws Exception {
        String customer = customer();
        UUID order = UUID.randomUUID();
        try (SseTestClient client = stream(first, customer)) {
            assertThat(client.response().statusCode()).isEqualTo(200);
            confirmed(order, customer);

            SseTestClient.Event event = client.nextNamed("notification", WAIT);
            JsonNode data = Json.codec().mapper().readTree(event.data());
            assertThat(data.get("orderId").asText()).isEqualTo(order.toString());
            assertThat(data.get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(data.get("customerId").asText()).isEqualTo(customer);
            assertThat(event.id()).isEqualTo(data.get("id").asText())
                    .isEqualTo(list(first, customer).get(0).get("id").asText());
        }
    }

    @Test
    void aLiveClientOnEitherInstanceGetsEveryNotificationWhicheverInstanceStoredIt() throws Exception {
        String customer = customer();
        int events = 12;
        long publishedBefore = livePublishes(FIRST_SPANS) + livePublishes(SECOND_SPANS);
        try (SseTestClient onFirst = stream(first, customer);
             SseTestClient onSecond = stream(second, customer)) {
            Set<String> orderIds = new HashSet<>();
            for (int i = 0; i < events; i++) {
                UUID order = UUID.randomUUID();
                orderIds.add(order.toString());
                placed(order, customer);
            }

            assertThat(received(onFirst, events)).isEqualTo(orderIds);
            assertThat(received(onSecond, events)).isEqualTo(orderIds);
        }
        // Each notification was stored and published live by exactly one of the two instances, yet both clients got
        // all of them: at least one client received notifications that the other instance stored.
        Await.until("one live publish per notification", WAIT,
                () -> livePublishes(FIRST_SPANS) + livePublishes(SECOND_SPANS) - publishedBefore == events);
    }

    @Test
    void anEventThatCannotMakeANotificationIsDeadLetteredAtOnce() throws Exception {
        UUID eventId = UUID.randomUUID();
        orders.publish(OrdersSubjects.ORDER_CONFIRMED, eventId.toString(),
                new OrderConfirmed(eventId, null, customer(), UUID.randomUUID(), Instant.now()));
        String garbled = UUID.randomUUID().toString();
        orders.publish(OrdersSubjects.ORDER_PLACED, garbled, "{not json".getBytes(StandardCharsets.UTF_8),
                Context.root());

        JsonNode deadLetters = Await.value("both in the dead letters", WAIT, () -> {
            JsonNode page = TestHttp.json(TestHttp.get(first.baseUrl() + "/admin/dead-letters", tokens.admin("ops")));
            List<String> ids = page.get("deadLetters").findValuesAsText("eventId");
            return ids.contains(eventId.toString()) && ids.contains(garbled) ? page : null;
        });
        assertThat(deadLetters.get("stream").asText()).isEqualTo("DLQ_NOTIFICATIONS");
        for (JsonNode letter : deadLetters.get("deadLetters")) {
            if (letter.get("eventId").asText().equals(eventId.toString())) {
                assertThat(letter.get("reason").asText()).isEqualTo("poison");
                assertThat(letter.get("consumer").asText()).isEqualTo(OrderEventsListener.DURABLE);
                assertThat(letter.get("lastError").asText()).contains("orderId");
            }
        }
        assertThat(storedFor(eventId)).isZero();
    }

    @Test
    void refusesRequestsWithoutAToken() {
        TestHttp.assertUnauthorized(TestHttp.get(first.baseUrl() + "/notifications"), "required", false);
        TestHttp.assertUnauthorized(TestHttp.get(first.baseUrl() + "/notifications/stream"), "required", false);
        TestHttp.assertUnauthorized(TestHttp.get(first.baseUrl() + "/notifications", "garbage"), "malformed", true);
        TestHttp.assertProblem(TestHttp.get(first.baseUrl() + "/notifications?limit=101", tokens.customer("c")), 400,
                "limit");
    }

    @Test
    void aCustomerSeesOnlyTheirOwnNotificationsWhateverTheQuerySays() {
        String alice = customer();
        String bob = customer();
        UUID order = UUID.randomUUID();
        placed(order, alice);
        Await.until("alice's notification", WAIT, () -> list(first, alice).size() == 1);

        assertThat(list(first, bob)).isEmpty();
        HttpResponse<String> sneaky = TestHttp.get(first.baseUrl() + "/notifications?customerId=" + alice,
                tokens.customer(bob));
        assertThat(sneaky.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(sneaky).get("notifications")).isEmpty();
    }

    private static Set<String> received(SseTestClient client, int count) throws Exception {
        Set<String> orderIds = new HashSet<>();
        for (int i = 0; i < count; i++) {
            SseTestClient.Event event = client.nextNamed("notification", WAIT);
            orderIds.add(Json.codec().mapper().readTree(event.data()).get("orderId").asText());
        }
        return orderIds;
    }

    private static long livePublishes(InMemorySpanExporter spans) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("send " + LiveSubjects.TEMPLATE))
                .count();
    }

    private static void placed(UUID order, String customer) {
        OrderPlaced event = new OrderPlaced(UUID.randomUUID(), order, customer, new Money(2500, "EUR"), List.of(),
                "tok_ok", Instant.now());
        orders.publish(OrdersSubjects.ORDER_PLACED, event.eventId().toString(), event);
    }

    private static void confirmed(UUID order, String customer) {
        OrderConfirmed event = new OrderConfirmed(UUID.randomUUID(), order, customer, UUID.randomUUID(), Instant.now());
        orders.publish(OrdersSubjects.ORDER_CONFIRMED, event.eventId().toString(), event);
    }

    private static void cancelled(UUID order, String customer, String reason) {
        OrderCancelled event = new OrderCancelled(UUID.randomUUID(), order, customer, reason, Instant.now());
        orders.publish(OrdersSubjects.ORDER_CANCELLED, event.eventId().toString(), event);
    }

    private static JsonNode list(RunningApp app, String customer) {
        HttpResponse<String> response = TestHttp.get(app.baseUrl() + "/notifications", tokens.customer(customer));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response).get("notifications");
    }

    private static boolean consumerIsDrained() {
        try {
            ConsumerInfo info = ordersSide.connection().jetStreamManagement()
                    .getConsumerInfo(OrdersSubjects.STREAM, OrderEventsListener.DURABLE);
            return info.getNumPending() == 0 && info.getNumAckPending() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static long storedFor(UUID eventId) throws Exception {
        try (var connection = db.connect();
             var statement = connection.prepareStatement("SELECT count(*) FROM notifications WHERE event_id = ?")) {
            statement.setObject(1, eventId);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static SseTestClient stream(RunningApp app, String customer) {
        return SseTestClient.open(app.baseUrl() + "/notifications/stream", tokens.customer(customer));
    }

    private static boolean isBound(RunningApp app) {
        HttpResponse<String> ready = TestHttp.get(app.baseUrl() + "/observe/health/ready");
        return ready.statusCode() == 200 && ready.body().contains(BOUND);
    }

    private static String customer() {
        return "c-" + UUID.randomUUID();
    }
}
