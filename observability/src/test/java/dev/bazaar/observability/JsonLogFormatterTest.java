package dev.bazaar.observability;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("try")   // scopes are opened only to make a span current
class JsonLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonLogFormatter formatter = new JsonLogFormatter("catalog");

    @Test
    void writesOneJsonObjectPerLine() throws Exception {
        LogRecord record = record(Level.INFO, "reserved {0} of {1}", 3, "sku-1");

        String line = formatter.format(record);

        assertThat(line).endsWith("\n").doesNotContain("\r").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("timestamp").asText()).isEqualTo(record.getInstant().toString()).endsWith("Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("service").asText()).isEqualTo("catalog");
        assertThat(json.get("logger").asText()).isEqualTo("dev.bazaar.test");
        assertThat(json.get("message").asText()).isEqualTo("reserved 3 of sku-1");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.has("trace_id")).isFalse();
        assertThat(json.has("exception")).isFalse();
    }

    @Test
    void carriesIdsOfTheCurrentSpan() throws Exception {
        try (Telemetry telemetry = Telemetry.forTests("log-test", InMemorySpanExporter.create())) {
            Span span = telemetry.openTelemetry().getTracer("test").spanBuilder("work").startSpan();
            String line;
            try (Scope ignored = span.makeCurrent()) {
                line = formatter.format(record(Level.WARNING, "inside"));
            } finally {
                span.end();
            }

            JsonNode json = JSON.readTree(line);
            assertThat(json.get("trace_id").asText()).isEqualTo(span.getSpanContext().getTraceId());
            assertThat(json.get("span_id").asText()).isEqualTo(span.getSpanContext().getSpanId());
            assertThat(json.get("level").asText()).isEqualTo("WARNING");
        }
    }

    @Test
    void escapesQuotesNewlinesAndControlCharacters() throws Exception {
        String nasty = "say \"hi\"\nback\\slash\ttab\u0001bell \u2028 é 😀 lone\uD800";

        String line = formatter.format(record(Level.INFO, nasty));

        assertThat(line).hasLineCount(1);
        assertThat(JSON.readTree(line).get("message").asText()).isEqualTo(nasty);
        assertThat(line).contains("\\\"hi\\\"", "\\n", "\\\\slash", "\\t", "\\u0001", "\\u2028", "é", "😀");
    }

    @Test
    void includesException() throws Exception {
        LogRecord record = record(Level.SEVERE, "failed");
        record.setThrown(new IllegalStateException("stock \"negative\"", new RuntimeException("root cause")));

        JsonNode exception = JSON.readTree(formatter.format(record)).get("exception");

        assertThat(exception.get("class").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(exception.get("message").asText()).isEqualTo("stock \"negative\"");
        assertThat(exception.get("stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: stock \"negative\"")
                .contains("\tat dev.bazaar.observability.JsonLogFormatterTest")
                .contains("Caused by: java.lang.RuntimeException: root cause");
    }

    @Test
    void neverThrowsOnBrokenParameters() throws Exception {
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("broken toString");
            }
        };
        LogRecord record = record(Level.INFO, "value {0}", broken);
        record.setThrown(new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("broken getMessage");
            }
        });

        String line = formatter.format(record);

        assertThat(JSON.readTree(line).get("message").asText()).contains("value {0}");
    }

    @Test
    void nullMessageAndLoggerBecomeJsonNull() throws Exception {
        LogRecord record = new LogRecord(Level.FINE, null);

        JsonNode json = JSON.readTree(formatter.format(record));

        assertThat(json.get("message").isNull()).isTrue();
        assertThat(json.get("logger").isNull()).isTrue();
    }

    @Test
    void serviceFallsBackToBazaar() {
        assertThat(new JsonLogFormatter(" ").service()).isEqualTo("bazaar");
        assertThat(new JsonLogFormatter().service()).isNotBlank();
    }

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.bazaar.test");
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }
}
