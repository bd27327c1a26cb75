package dev.bazaar.messaging;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCodecTest {
    record Line(String sku, int quantity) {
    }

    record Order(String id, Instant placedAt, BigDecimal total, List<Line> lines) {
    }

    record Counter(int count) {
    }

    record Quantity(int value) {
        Quantity {
            if (value <= 0) {
                throw new IllegalArgumentException("must be positive");
            }
        }
    }

    private final JsonCodec codec = JsonCodec.standard();

    @Test
    void roundTripsRecordsWithInstantsAsIsoStrings() {
        Order order = new Order("o-1", Instant.parse("2026-01-02T03:04:05.123456Z"), new BigDecimal("12.50"),
                List.of(new Line("sku-1", 2)));

        byte[] json = codec.encode(order);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"placedAt\":\"2026-01-02T03:04:05.123456Z\"");
        assertThat(codec.decode(json, Order.class)).isEqualTo(order);
    }

    @Test
    void malformedJsonIsReportedWithoutInternals() {
        byte[] garbage = "{\"id\": \"o-1\", ".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(garbage, Order.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("not valid JSON")
                .message().doesNotContain("jackson", "Exception", "dev.bazaar");
    }

    @Test
    void wrongValueNamesTheProperty() {
        byte[] json = "{\"id\":\"o-1\",\"placedAt\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json, Order.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("'placedAt'")
                .message().doesNotContain("java.time", "Exception");
    }

    @Test
    void unknownPropertiesAreIgnored() {
        byte[] json = "{\"sku\":\"sku-1\",\"quantity\":3,\"addedLater\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8);

        assertThat(codec.decode(json, Line.class)).isEqualTo(new Line("sku-1", 3));
    }

    @Test
    void nullForPrimitiveIsRefused() {
        byte[] json = "{\"count\":null}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json, Counter.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("'count'");
    }

    @Test
    void recordValidationMessageIsKept() {
        byte[] json = "{\"value\":0}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json, Quantity.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("invalid value: must be positive");
    }

    @Test
    void emptyAndTrailingGarbageAreRefused() {
        assertThatThrownBy(() -> codec.decode(new byte[0], Line.class)).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decode("{\"count\":1} {}".getBytes(StandardCharsets.UTF_8), Counter.class))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void neverCoercesScalars() {
        for (String json : List.of("{\"count\":2.9}", "{\"count\":\"3\"}", "{\"count\":true}", "{\"count\":\"\"}",
                "{\"count\":1e400}", "{\"count\":99999999999999999999}")) {
            assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), Counter.class)).as(json)
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("'count'")
                    .message().doesNotContain("2.9", "java.", "Integer", "int", "Counter");
        }
        for (String json : List.of("{\"sku\":7,\"quantity\":1}", "{\"sku\":true,\"quantity\":1}",
                "{\"sku\":1.5,\"quantity\":1}")) {
            assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), Line.class)).as(json)
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("'sku'");
        }
        assertThat(codec.decode("{\"count\":3}".getBytes(StandardCharsets.UTF_8), Counter.class).count()).isEqualTo(3);
        assertThat(codec.decode("{\"sku\":\"\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8), Line.class).sku())
                .isEmpty();
    }

    @Test
    void refusesControlCharactersInAnyStringWithoutEchoingIt() {
        for (String json : List.of("{\"sku\":\"a\\u0000b\",\"quantity\":1}", "{\"sku\":\"a\\nb\",\"quantity\":1}",
                "{\"sku\":\"\\u007f\",\"quantity\":1}")) {
            assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), Line.class)).as(json)
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("control characters are not allowed in 'sku'");
        }
        byte[] nested = "{\"id\":\"o\",\"lines\":[{\"sku\":\"x\\u0001\",\"quantity\":1}]}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decode(nested, Order.class)).hasMessageContaining("'lines[0].sku'");
        assertThat(codec.decode("{\"sku\":\"caf\u00e9 \u2603\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8),
                Line.class).sku()).isEqualTo("caf\u00e9 \u2603");
    }

    @Test
    void unencodableValueIsAMessagingException() {
        assertThatThrownBy(() -> codec.encode(new Object()))
                .isInstanceOf(MessagingException.class)
                .isNotInstanceOf(MalformedMessageException.class);
    }
}
