package dev.bazaar.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.CommitStockReply;
import dev.bazaar.contracts.catalog.CommitStockRequest;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.PublishResult;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.payments.nats.OrderPlacedListener;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.ServiceUnderTest;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payments against a real nats-server with the project's NATS users and permissions ({@code config/nats/auth.conf})
 * and a real database, with the test standing in for orders (connected as user {@code orders}): it creates the
 * {@code ORDERS} stream and publishes {@code OrderPlaced} events, then reads the outcomes from the {@code PAYMENTS}
 * stream (as {@code ops}) and over HTTP.
 */
class PaymentsIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** A short duplicate window, so that a test can deliver the same event id a second time. */
    static final StreamSettings ORDERS_STREAM =
            new StreamSettings(StorageType.Memory, 1, Duration.ofHours(1), Duration.ofMillis(200));

    static ServiceUnderTest sut;
    static TestTokens tokens;
    static String admin;
    static TestNatsServer natsServer;
    static TestDatabase db;
    static RunningApp payments;
    static Telemetry ordersTelemetry;
    static NatsMessaging ordersSide;
    static NatsMessaging ops;
    static NatsMessaging catalogSide;
    static EventPublisher publisher;
    /** Orders whose stock the stand-in catalog no longer holds. */
    static final java.util.Set<UUID> stockGone = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.create(Main.class, "payments", ProjectNatsAuth.configLines());
        tokens = sut.tokens;
        natsServer = sut.nats;
        db = sut.db;
        admin = tokens.admin("ops");
        // Payments starts before orders' stream exists, as it may in production: its consumer binds once it does.
        Map<String, String> config = new java.util.HashMap<>(ProjectNatsAuth.serviceConfig("payments"));
        config.putAll(Map.of("events.storage", "memory", "payments.simulated.decline-above", "100000"));
        payments = sut.start(c -> Main.start(c, Telemetry.forTests("payments", InMemorySpanExporter.create())), config);
        ordersTelemetry = sut.add(Telemetry.forTests("orders", InMemorySpanExporter.create()));
        ordersSide = sut.add(NatsMessaging.connect(NatsSettings.local(natsServer.url(), "orders-stand-in")
                        .withUserInfo("orders", ProjectNatsAuth.password("orders")),
                ordersTelemetry.openTelemetry(), Json.codec()));
        ops = sut.add(NatsMessaging.connect(NatsSettings.local(natsServer.url(), "ops-inspector")
                        .withUserInfo("ops", ProjectNatsAuth.password("ops")),
                ordersTelemetry.openTelemetry(), Json.codec()));
        // A stand-in catalog, as catalog itself (its NATS user): commits every order's stock but those in stockGone.
        catalogSide = sut.add(NatsMessaging.connect(NatsSettings.local(natsServer.url(), "catalog-stand-in")
                        .withUserInfo("catalog", ProjectNatsAuth.password("catalog")),
                ordersTelemetry.openTelemetry(), Json.codec()));
        catalogSide.service(CatalogSubjects.SERVICE, "0.0.0-test", "stand-in catalog")
                .endpoint(CatalogSubjects.COMMIT_STOCK, CommitStockRequest.class, CommitStockReply.class, (request, context) ->
                        stockGone.contains(request.orderId())
                                ? new CommitStockReply(request.orderId(), false, "lapsed and sold out since")
                                : new CommitStockReply(request.orderId(), true, null))
                .start();
        Streams.ensure(ordersSide, new StreamSpec(OrdersSubjects.STREAM, List.of(OrdersSubjects.EVENTS)), ORDERS_STREAM);
        publisher = new EventPublisher(ordersSide);
        Await.until("payments ready, its consumer bound to ORDERS", WAIT, PaymentsIT::readyAndBound);
    }

    @AfterAll
    static void stop() {
        sut.close();
    }

    @Test
    void answersUnroutedRequestsWith404Or405() {
        TestHttp.assertRoutingFallbacks(payments.baseUrl(), "/payments/" + UUID.randomUUID(), "DELETE", "GET, HEAD, OPTIONS");
    }

    @Test
    void authorizesAnOrderUpToTheLimit() throws Exception {
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 100_000, "tok_visa");
        PublishResult published = publish(placed);

        Outcome outcome = awaitOutcome(placed.orderId());
        assertThat(outcome.subject()).isEqualTo(PaymentsSubjects.PAYMENT_AUTHORIZED);
        assertThat(traceId(outcome.traceparent())).as("the outcome continues the order-placed trace")
                .isEqualTo(traceId(storedMessage(OrdersSubjects.STREAM, published.sequence())
                        .getHeaders().getFirst("traceparent")));
        assertThat(outcome.payload().get("orderId").asText()).isEqualTo(placed.orderId().toString());
        assertThat(outcome.payload().get("customerId").asText()).isEqualTo("customer-1");
        assertThat(outcome.payload().get("amount").get("amount").asLong()).isEqualTo(100_000);
        assertThat(outcome.payload().get("amount").get("currency").asText()).isEqualTo("EUR");
        assertThat(outcome.msgId()).as("Nats-Msg-Id is the payload's event id")
                .isEqualTo(outcome.payload().get("eventId").asText());

        JsonNode payment = payment(placed.orderId());
        assertThat(payment.get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(payment.get("providerRef").asText()).isEqualTo("sim_" + placed.orderId());
        assertThat(payment.get("id").asText()).isEqualTo(outcome.payload().get("paymentId").asText());
    }

    @Test
    void declinesAnOrderOverTheLimit() {
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 100_001, "tok_visa");
        publish(placed);

        Outcome outcome = awaitOutcome(placed.orderId());
        assertThat(outcome.subject()).isEqualTo(PaymentsSubjects.PAYMENT_DECLINED);
        assertThat(outcome.payload().get("reason").asText()).isEqualTo("amount over limit");
        JsonNode payment = payment(placed.orderId());
        assertThat(payment.get("status").asText()).isEqualTo("DECLINED");
        assertThat(payment.get("reason").asText()).isEqualTo("amount over limit");
    }

    @Test
    void declinesAnOrderWhoseStockCatalogNoLongerHoldsWithoutCharging() {
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 1_250, "tok_visa");
        stockGone.add(placed.orderId());
        publish(placed);

        Outcome outcome = awaitOutcome(placed.orderId());
        assertThat(outcome.subject()).isEqualTo(PaymentsSubjects.PAYMENT_DECLINED);
        assertThat(outcome.payload().get("reason").asText()).isEqualTo(PaymentService.STOCK_GONE);
        JsonNode payment = payment(placed.orderId());
        assertThat(payment.get("status").asText()).isEqualTo("DECLINED");
        assertThat(payment.path("providerRef").asText(null)).as("the provider was never asked").isNull();
    }

    @Test
    void declinesTheDeclinedCardToken() {
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 1_250, "tok_declined");
        publish(placed);

        Outcome outcome = awaitOutcome(placed.orderId());
        assertThat(outcome.subject()).isEqualTo(PaymentsSubjects.PAYMENT_DECLINED);
        assertThat(outcome.payload().get("reason").asText()).isEqualTo("card declined");
        assertThat(payment(placed.orderId()).get("status").asText()).isEqualTo("DECLINED");
    }

    @Test
    void theSameEventDeliveredTwiceIsAppliedOnce() throws Exception {
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 2_500, "tok_visa");
        publish(placed);
        Outcome first = awaitOutcome(placed.orderId());

        // Once the duplicate window has passed, the same event id is stored again: a true second delivery.
        PublishResult again = Await.value("a re-publish past the duplicate window", WAIT, () -> {
            PublishResult result = publish(placed);
            return result.duplicate() ? null : result;
        });
        awaitConsumed(again.sequence());

        assertThat(outcomes(placed.orderId())).containsExactly(first);
        assertThat(paymentRows(placed.orderId())).isEqualTo(1);
    }

    @Test
    void aSecondOrderPlacedForTheSameOrderDoesNotPayTwice() throws Exception {
        UUID order = UUID.randomUUID();
        publish(orderPlaced(order, 2_500, "tok_visa"));
        Outcome first = awaitOutcome(order);

        PublishResult second = publish(orderPlaced(order, 2_500, "tok_declined"));
        awaitConsumed(second.sequence());

        assertThat(outcomes(order)).containsExactly(first);
        assertThat(payment(order).get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(paymentRows(order)).isEqualTo(1);
    }

    @Test
    void eventsThatCanNeverBePaidEndInTheDeadLetters() throws Exception {
        String malformedId = UUID.randomUUID().toString();
        ordersSide.connection().jetStream().publish(NatsMessage.builder()
                .subject(OrdersSubjects.ORDER_PLACED)
                .headers(new Headers().put("Nats-Msg-Id", malformedId))
                .data("{\"orderId\":".getBytes(StandardCharsets.UTF_8))
                .build());
        OrderPlaced badCurrency = new OrderPlaced(UUID.randomUUID(), UUID.randomUUID(), null,
                new Money(100, "EURO"), List.of(), null, Instant.now());
        publish(badCurrency);

        HttpResponse<String> listed = Await.value("both events dead-lettered", WAIT, () -> {
            HttpResponse<String> response = TestHttp.get(payments.baseUrl() + "/admin/dead-letters", admin);
            return response.statusCode() == 200 && response.body().contains(malformedId)
                    && response.body().contains(badCurrency.eventId().toString()) ? response : null;
        });
        assertThat(TestHttp.json(listed).get("stream").asText()).isEqualTo("DLQ_PAYMENTS");
        TestHttp.assertProblem(TestHttp.get(payments.baseUrl() + "/payments/" + badCurrency.orderId(), admin), 404,
                "no payment");
    }

    @Test
    void aPoisonDeadLetterFailsAgainOnReplayAndStays() {
        OrderPlaced badCurrency = new OrderPlaced(UUID.randomUUID(), UUID.randomUUID(), "customer-1",
                new Money(100, "EURO"), List.of(), "tok_visa", Instant.now());
        publish(badCurrency);
        long sequence = awaitDeadLetter(badCurrency.eventId().toString());

        HttpResponse<String> replay = TestHttp.post(replayUrl(sequence), "", admin);

        TestHttp.assertProblem(replay, 409, "reprocessing by payments-order-placed failed");
        assertThat(TestHttp.json(replay).get("detail").asText()).contains("PoisonEventException").endsWith("kept");
        HttpResponse<String> kept = TestHttp.get(payments.baseUrl() + "/admin/dead-letters/" + sequence, admin);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(TestHttp.json(kept).get("reason").asText()).isEqualTo("poison");
        assertThat(outcomes(badCurrency.orderId())).isEmpty();
    }

    @Test
    void aDeadLetterOfATransientFailureIsReplayedLocallyUnderTheProjectsNatsPermissions() throws Exception {
        // What payments' listener stores after five failed attempts during a database outage. Payments may not
        // publish orders.events.order-placed (only orders may), so a replay must process it in payments itself.
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 4_200, "tok_visa");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";
        long sequence = storeDeadLetter(placed, OrderPlacedListener.DURABLE, traceparent);
        assertThat(TestHttp.post(replayUrl(sequence), "", tokens.customer("c-1")).statusCode()).isEqualTo(403);

        HttpResponse<String> replay = TestHttp.post(replayUrl(sequence), "", admin);

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonNode result = TestHttp.json(replay);
        assertThat(result.get("replayed").asBoolean()).isTrue();
        assertThat(result.get("sequence").asLong()).isEqualTo(sequence);
        assertThat(result.get("detail").asText()).contains(OrderPlacedListener.DURABLE)
                .contains(placed.eventId().toString()).contains("DLQ_PAYMENTS");
        Outcome outcome = awaitOutcome(placed.orderId());
        assertThat(outcome.subject()).isEqualTo(PaymentsSubjects.PAYMENT_AUTHORIZED);
        assertThat(traceId(outcome.traceparent())).as("the replay continues the original trace").isEqualTo(traceId);
        assertThat(payment(placed.orderId()).get("status").asText()).isEqualTo("AUTHORIZED");
        TestHttp.assertProblem(TestHttp.get(payments.baseUrl() + "/admin/dead-letters/" + sequence, admin), 404,
                "no dead letter " + sequence);
        TestHttp.assertProblem(TestHttp.post(replayUrl(sequence), "", admin), 404, "no dead letter " + sequence);

        // The same event dead-lettered and replayed again: the idempotent-consumer guard applies, nothing is paid twice.
        long again = storeDeadLetter(placed, OrderPlacedListener.DURABLE, traceparent);
        assertThat(TestHttp.post(replayUrl(again), "", admin).statusCode()).isEqualTo(200);
        assertThat(outcomes(placed.orderId())).containsExactly(outcome);
        assertThat(paymentRows(placed.orderId())).isEqualTo(1);
    }

    @Test
    void aDeadLetterOfAConsumerPaymentsDoesNotRunIsNotReplayed() throws Exception {
        OrderPlaced placed = orderPlaced(UUID.randomUUID(), 300, "tok_visa");
        long sequence = storeDeadLetter(placed, "payments-refunds", null);

        TestHttp.assertProblem(TestHttp.post(replayUrl(sequence), "", admin), 409,
                "consumer payments-refunds, which this service does not run");

        assertThat(TestHttp.get(payments.baseUrl() + "/admin/dead-letters/" + sequence, admin).statusCode())
                .isEqualTo(200);
        assertThat(outcomes(placed.orderId())).isEmpty();
        TestHttp.assertProblem(TestHttp.post(replayUrl(999_999), "", admin), 404, "no dead letter 999999");
    }

    @Test
    void anUnknownOrderHasNoPayment() {
        TestHttp.assertProblem(TestHttp.get(payments.baseUrl() + "/payments/" + UUID.randomUUID(), admin), 404,
                "no payment for order");
        TestHttp.assertProblem(TestHttp.get(payments.baseUrl() + "/payments/nope", admin), 400, "orderId must be a UUID");
        TestHttp.assertProblem(TestHttp.get(payments.baseUrl() + "/payments/" + UUID.randomUUID(),
                tokens.customer("c-1")), 403, "requires role admin");
        TestHttp.assertUnauthorized(TestHttp.get(payments.baseUrl() + "/payments/" + UUID.randomUUID()),
                "required", false);
    }

    private static String replayUrl(long sequence) {
        return payments.baseUrl() + "/admin/dead-letters/" + sequence + "/replay";
    }

    /** Waits until the event is in payments' dead letters; its sequence there. */
    private static long awaitDeadLetter(String eventId) {
        return Await.value("event " + eventId + " dead-lettered", WAIT, () -> {
            HttpResponse<String> response = TestHttp.get(payments.baseUrl() + "/admin/dead-letters", admin);
            if (response.statusCode() != 200) {
                return null;
            }
            for (JsonNode letter : TestHttp.json(response).path("deadLetters")) {
                if (eventId.equals(letter.path("eventId").asText())) {
                    return letter.get("sequence").asLong();
                }
            }
            return null;
        });
    }

    /**
     * Stores {@code event} in {@code DLQ_PAYMENTS} as payments' listener does when it gives up (the {@code ops} user
     * writes it; the original was never in {@code ORDERS}, so nothing else processes it); its sequence there.
     */
    private static long storeDeadLetter(OrderPlaced event, String consumer, String traceparent) throws Exception {
        Headers headers = new Headers()
                .put("Dead-Letter-Msg-Id", event.eventId().toString())
                .put("Dead-Letter-Reason", "max-deliver")
                .put("Dead-Letter-Error", "org.postgresql.util.PSQLException: Connection to db refused.")
                .put("Dead-Letter-Deliveries", "5")
                .put("Dead-Letter-Stream", OrdersSubjects.STREAM)
                .put("Dead-Letter-Sequence", "1")
                .put("Dead-Letter-Consumer", consumer);
        if (traceparent != null) {
            headers.put("traceparent", traceparent);
        }
        return ops.connection().jetStream().publish(NatsMessage.builder()
                        .subject("payments.dead-letters." + OrdersSubjects.ORDER_PLACED)
                        .headers(headers)
                        .data(Json.codec().encode(event))
                        .build())
                .getSeqno();
    }

    /** Readiness does not wait for orders' stream; its jetstream check shows whether the consumer is bound yet. */
    private static boolean readyAndBound() {
        HttpResponse<String> ready = TestHttp.get(payments.baseUrl() + "/observe/health/ready");
        if (ready.statusCode() != 200) {
            return false;
        }
        for (JsonNode check : TestHttp.json(ready).path("checks")) {
            if (check.path("name").asText().equals("jetstream")) {
                return check.path("data").path(OrderPlacedListener.DURABLE).asText().equals("bound");
            }
        }
        return false;
    }

    /** A payment outcome event as stored in the PAYMENTS stream. */
    record Outcome(String subject, String msgId, String traceparent, JsonNode payload) {
    }

    private static OrderPlaced orderPlaced(UUID order, long amount, String token) {
        return new OrderPlaced(UUID.randomUUID(), order, "customer-1", new Money(amount, "EUR"), List.of(), token,
                Instant.now());
    }

    private static PublishResult publish(OrderPlaced event) {
        return publisher.publish(OrdersSubjects.ORDER_PLACED, event.eventId().toString(), event);
    }

    private static Outcome awaitOutcome(UUID order) {
        return Await.value("a payment outcome for order " + order, WAIT, () -> {
            List<Outcome> outcomes = outcomes(order);
            return outcomes.isEmpty() ? null : outcomes.getFirst();
        });
    }

    /** Waits until payments' consumer has settled every ORDERS message up to {@code sequence}. */
    private static void awaitConsumed(long sequence) {
        Await.until("payments consumed ORDERS message " + sequence, WAIT, () -> {
            try {
                return ops.connection().jetStreamManagement()
                        .getConsumerInfo(OrdersSubjects.STREAM, OrderPlacedListener.DURABLE)
                        .getAckFloor().getStreamSequence() >= sequence;
            } catch (IOException | JetStreamApiException e) {
                return false;
            }
        });
    }

    /** Every outcome event for {@code order} in the PAYMENTS stream, oldest first. */
    private static List<Outcome> outcomes(UUID order) {
        try {
            JetStreamManagement jsm = ops.connection().jetStreamManagement();
            StreamInfo info = jsm.getStreamInfo(PaymentsSubjects.STREAM);
            List<Outcome> outcomes = new ArrayList<>();
            for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence()
                    && info.getStreamState().getMsgCount() > 0; seq++) {
                MessageInfo message = jsm.getMessage(PaymentsSubjects.STREAM, seq);
                JsonNode payload = Json.codec().mapper().readTree(message.getData());
                if (order.toString().equals(payload.path("orderId").asText())) {
                    outcomes.add(new Outcome(message.getSubject(), message.getHeaders().getFirst("Nats-Msg-Id"),
                            message.getHeaders().getFirst("traceparent"), payload));
                }
            }
            return outcomes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageInfo storedMessage(String stream, long sequence) throws Exception {
        return ops.connection().jetStreamManagement().getMessage(stream, sequence);
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}). */
    private static String traceId(String traceparent) {
        assertThat(traceparent).as("traceparent").isNotNull().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        return traceparent.split("-")[1];
    }

    private static JsonNode payment(UUID order) {
        HttpResponse<String> response = TestHttp.get(payments.baseUrl() + "/payments/" + order, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static long paymentRows(UUID order) throws Exception {
        try (var connection = db.connect();
             var statement = connection.prepareStatement("SELECT count(*) FROM payments WHERE order_id = ?")) {
            statement.setObject(1, order);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
