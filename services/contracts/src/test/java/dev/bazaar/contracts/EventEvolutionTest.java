package dev.bazaar.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderConfirmed;
import dev.bazaar.contracts.orders.OrderInfo;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.messaging.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evolution policy (docs/events.md#evolution) checked on the codec every service reads and writes events with.
 * The files in {@code events/v1/} are events exactly as version 1 producers published them, before events carried a
 * version: they must stay readable for as long as a stream or a dead-letter queue may hold one.
 */
class EventEvolutionTest {
    private static final JsonCodec CODEC = JsonCodec.standard();

    /** Every event subject and its record; {@link #everyEventRecordIsVersioned} keeps it complete. */
    static final Map<String, Class<? extends VersionedEvent>> EVENTS = Map.of(
            OrdersSubjects.ORDER_PLACED, OrderPlaced.class,
            OrdersSubjects.ORDER_CONFIRMED, OrderConfirmed.class,
            OrdersSubjects.ORDER_CANCELLED, OrderCancelled.class,
            PaymentsSubjects.PAYMENT_AUTHORIZED, PaymentAuthorized.class,
            PaymentsSubjects.PAYMENT_DECLINED, PaymentDeclined.class);

    @Test
    void newConsumerReadsAnEventWrittenBeforeVersioning() throws IOException {
        for (var event : EVENTS.entrySet()) {
            byte[] old = golden(event.getKey());
            VersionedEvent read = CODEC.decode(old, event.getValue());

            assertThat(read.schemaVersion()).as(event.getKey()).isEqualTo(VersionedEvent.FIRST);
            // Nothing the old producer wrote was lost: writing it again gives the same fields, plus the version.
            ObjectNode expected = (ObjectNode) tree(old);
            expected.put("schemaVersion", VersionedEvent.FIRST);
            assertThat(tree(CODEC.encode(read))).as(event.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void oldConsumerReadsANewerEventWithFieldsItDoesNotKnow() throws IOException {
        for (var event : EVENTS.entrySet()) {
            byte[] old = golden(event.getKey());
            ObjectNode newer = (ObjectNode) tree(old);
            newer.put("schemaVersion", 7);
            newer.put("loyaltyPoints", 120);
            newer.putObject("shipping").put("carrier", "DHL").putArray("legs").add(1);
            newer.fields().forEachRemaining(field -> {
                if (field.getValue().isObject()) { // nested records grow too, e.g. Money
                    ((ObjectNode) field.getValue()).put("precision", 2);
                }
            });

            VersionedEvent fromNewer = CODEC.decode(CODEC.encode(newer), event.getValue());
            VersionedEvent fromOld = CODEC.decode(old, event.getValue());

            assertThat(fromNewer.schemaVersion()).as(event.getKey()).isEqualTo(7);
            assertThat(fromNewer).as(event.getKey()).usingRecursiveComparison().ignoringFields("schemaVersion")
                    .isEqualTo(fromOld);
        }
    }

    /**
     * A version 2 of {@code order-placed} as the policy allows it: every version 1 field, plus an optional one.
     * The version 1 code is the real {@link OrderPlaced}.
     */
    record OrderPlacedV2(UUID eventId, UUID orderId, String customerId, Money total, List<OrderInfo.Line> lines,
                         String paymentToken, Instant placedAt, String couponCode, Integer schemaVersion) {
    }

    @Test
    void versionOneAndVersionTwoCodeReadEachOthersEvents() {
        OrderPlaced v1 = new OrderPlaced(UUID.randomUUID(), UUID.randomUUID(), "customer-1", new Money(2500, "EUR"),
                List.of(new OrderInfo.Line(UUID.randomUUID(), "MUG-1", 2, new Money(1250, "EUR"))), "tok_visa",
                Instant.parse("2026-12-01T08:00:00Z"));
        OrderPlacedV2 v2 = new OrderPlacedV2(v1.eventId(), v1.orderId(), v1.customerId(), v1.total(), v1.lines(),
                v1.paymentToken(), v1.placedAt(), "WINTER10", 2);

        // New consumer, old event: the added field is absent, everything else as written.
        OrderPlacedV2 newReadsOld = CODEC.decode(CODEC.encode(v1), OrderPlacedV2.class);
        assertThat(newReadsOld.couponCode()).isNull();
        assertThat(newReadsOld.schemaVersion()).isEqualTo(1);
        assertThat(newReadsOld).usingRecursiveComparison().ignoringFields("couponCode", "schemaVersion").isEqualTo(v1);

        // Old consumer, new event: the field it does not know is ignored, the version says the writer knew more.
        OrderPlaced oldReadsNew = CODEC.decode(CODEC.encode(v2), OrderPlaced.class);
        assertThat(oldReadsNew.schemaVersion()).isEqualTo(2);
        assertThat(oldReadsNew).usingRecursiveComparison().ignoringFields("schemaVersion").isEqualTo(v1);
    }

    @Test
    void producersWriteTheCurrentVersion() {
        OrderConfirmed event = new OrderConfirmed(UUID.randomUUID(), UUID.randomUUID(), "c", UUID.randomUUID(),
                Instant.now());
        assertThat(event.schemaVersion()).isEqualTo(OrderConfirmed.SCHEMA_VERSION);
        assertThat(tree(CODEC.encode(event)).get("schemaVersion").asInt()).isEqualTo(OrderConfirmed.SCHEMA_VERSION);
    }

    @Test
    void everyEventRecordIsVersioned() throws ReflectiveOperationException {
        for (var event : EVENTS.entrySet()) {
            Class<?> type = event.getValue();
            assertThat(type.isRecord()).as(type.getSimpleName()).isTrue();
            assertThat(type.getField("SCHEMA_VERSION").getInt(null)).as(type.getSimpleName())
                    .isGreaterThanOrEqualTo(VersionedEvent.FIRST);
            assertThat(getClass().getResource("/events/v1/" + event.getKey() + ".json"))
                    .as("a version 1 sample of " + event.getKey()).isNotNull();
        }
    }

    private byte[] golden(String subject) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/events/v1/" + subject + ".json")) {
            assertThat(in).as("events/v1/" + subject + ".json").isNotNull();
            return in.readAllBytes();
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return CODEC.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
