package dev.bazaar.messaging.asyncapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.testing.AsyncApiChecks;
import dev.bazaar.testing.TestNatsServer;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.InfoResponse;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service declared on a real nats-server (an endpoint, a stream and an event it publishes, a durable consumer, its
 * dead letters) and its AsyncAPI document: every declared subject is a channel, $SRV.INFO points to the document,
 * and each record's fields are its schema's properties.
 */
class AsyncApiDocumentIT {
    record Money(long amount, String currency) {
    }

    record Line(UUID productId, int quantity, Money price) {
    }

    record PlaceRequest(UUID customerId, List<Line> lines) {
    }

    record PlaceReply(UUID orderId, boolean accepted, Instant at) {
    }

    record Placed(UUID eventId, UUID orderId, List<Line> lines, Map<String, String> tags, Integer schemaVersion) {
        public static final int SCHEMA_VERSION = 2;
    }

    /** A record with a field the document does not have: the check must name it. */
    record Drifted(UUID eventId, String added) {
    }

    private static TestNatsServer server;
    private static NatsMessaging nats;
    private static EventListener listener;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        server = TestNatsServer.start();
        nats = NatsMessaging.connect(new NatsSettings(List.of(server.url()), "shop", null, null, null,
                Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(2), 65536),
                OpenTelemetry.noop(), JsonCodec.standard());
        nats.declarations().documentedAt("/asyncapi", 8099);
        StreamSettings local = StreamSettings.local();
        Streams.ensure(nats, new StreamSpec("SHOP", List.of("shop.events.>")), local);
        nats.declarations().publishes("shop.events.placed", Placed.class, "SHOP");
        DeadLetters deadLetters = DeadLetters.forService(nats, "shop", local);
        listener = EventListener.builder(nats, ConsumerSpec.of("SHOP", "shop-audit", "shop.events.>"), deadLetters)
                .on("shop.events.placed", Placed.class, (event, context) -> { })
                .start();
        nats.service("shop", "1.2.3", "a test shop")
                .endpoint("shop.place", PlaceRequest.class, PlaceReply.class, (request, context) ->
                        new PlaceReply(UUID.randomUUID(), true, Instant.now()))
                .start();
        String json = JsonCodec.standard().mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                AsyncApiDocument.of("shop", "A test shop.", nats.declarations(), JsonCodec.standard().mapper()));
        document = JsonCodec.standard().mapper().readTree(json);
    }

    @AfterAll
    static void stop() {
        listener.close();
        nats.close();
        server.close();
    }

    @Test
    void srvInfoPointsToTheDocumentAndEveryEndpointSubjectIsAChannel() {
        List<InfoResponse> infos = new Discovery(nats.connection(), 1000, 1).info("shop");

        assertThat(infos).hasSize(1);
        assertThat(infos.getFirst().getMetadata()).isEqualTo(Map.of("asyncapi", "/asyncapi", "asyncapi.port", "8099",
                "asyncapi.spec", "3.0.0", "schemaVersion", "2"));
        List<String> addresses = AsyncApiChecks.addresses(document);
        assertThat(infos.getFirst().getEndpoints()).extracting(Endpoint::getSubject)
                .allMatch(subject -> AsyncApiChecks.documents(addresses, subject)).isNotEmpty();
    }

    @Test
    void everyDeclaredSubjectIsAChannelWithItsOperation() {
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(document.path("info").path("version").asText()).isEqualTo("2");
        assertThat(AsyncApiChecks.addresses(document)).containsExactlyInAnyOrder("shop.place", "shop.events.placed",
                "shop.dead-letters.{subject}", "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.SHOP.shop-audit");
        JsonNode operations = document.path("operations");
        assertThat(operations.path("serve_shop_place").path("action").asText()).isEqualTo("receive");
        assertThat(operations.path("serve_shop_place").path("bindings").path("nats").path("queue").asText())
                .isEqualTo("shop");
        assertThat(operations.path("serve_shop_place").path("reply").path("channel").path("$ref").asText())
                .isEqualTo("#/channels/shop_place_reply");
        assertThat(document.path("channels").path("shop_place_reply").path("address").isNull()).isTrue();
        assertThat(operations.path("publish_shop_events_placed").path("action").asText()).isEqualTo("send");
        assertThat(operations.path("publish_shop_events_placed").path("x-jetstream-stream").asText())
                .isEqualTo("SHOP");
        assertThat(operations.path("consume_shop-audit_shop_events_placed").path("x-jetstream-consumer").asText())
                .isEqualTo("shop-audit");
        assertThat(document.path("x-jetstream-streams")).extracting(stream -> stream.path("name").asText())
                .containsExactlyInAnyOrder("SHOP", "DLQ_SHOP");
        JsonNode consumer = document.path("x-jetstream-consumers").path(0);
        assertThat(consumer.path("durable").asText()).isEqualTo("shop-audit");
        assertThat(consumer.path("filterSubject").asText()).isEqualTo("shop.events.>");
        assertThat(consumer.path("maxDeliver").asInt()).isEqualTo(5);
        assertThat(document.path("components").path("messages").path("AsyncApiDocumentIT.Placed").path("x-schema-version").asInt())
                .isEqualTo(2);
    }

    @Test
    void schemasAreWhatTheCodecWritesAndEveryRecordFieldIsDocumented() {
        assertThat(AsyncApiChecks.undocumentedFields(document,
                List.of(PlaceRequest.class, PlaceReply.class, Placed.class))).isEmpty();
        JsonNode schemas = document.path("components").path("schemas");
        JsonNode line = schemas.path("AsyncApiDocumentIT.Line");
        assertThat(line.path("properties").path("productId").toString())
                .isEqualTo("{\"type\":[\"string\",\"null\"],\"format\":\"uuid\"}");
        assertThat(line.path("properties").path("quantity").toString())
                .isEqualTo("{\"type\":\"integer\",\"format\":\"int32\"}");
        assertThat(line.path("required").toString()).isEqualTo("[\"quantity\"]");
        assertThat(line.path("properties").path("price").toString()).isEqualTo(
                "{\"anyOf\":[{\"$ref\":\"#/components/schemas/AsyncApiDocumentIT.Money\"},{\"type\":\"null\"}]}");
        assertThat(schemas.path("AsyncApiDocumentIT.PlaceReply").path("properties").path("at").path("format").asText())
                .isEqualTo("date-time");
        assertThat(schemas.path("AsyncApiDocumentIT.Placed").path("properties").path("lines").path("type").toString())
                .isEqualTo("[\"array\",\"null\"]");
        assertThat(schemas.path("AsyncApiDocumentIT.Placed").path("properties").path("tags")
                .path("additionalProperties").path("type").asText()).isEqualTo("string");
    }

    @Test
    void aRecordFieldMissingFromTheDocumentIsReported() {
        assertThat(AsyncApiChecks.undocumentedFields(document, List.of(Drifted.class)))
                .containsExactly("record " + Drifted.class.getName() + " has no schema AsyncApiDocumentIT.Drifted");
        assertThat(AsyncApiChecks.documents(AsyncApiChecks.addresses(document), "shop.events.unknown")).isFalse();
        assertThat(AsyncApiChecks.documents(AsyncApiChecks.addresses(document),
                "shop.dead-letters.shop.events.placed")).isTrue();
    }
}
