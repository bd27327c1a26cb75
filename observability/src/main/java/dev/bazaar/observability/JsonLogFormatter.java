package dev.bazaar.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * {@code java.util.logging} formatter writing one JSON object per line:
 * <pre>{@code
 * {"timestamp":"2025-01-31T12:00:00.123456Z","level":"INFO","service":"catalog","logger":"dev.bazaar.catalog.Api",
 *  "message":"stock reserved","thread":"worker-1","trace_id":"4bf9...","span_id":"00f0...",
 *  "exception":{"class":"java.lang.IllegalStateException","message":"...","stack_trace":"..."}}
 * }</pre>
 * {@code trace_id}/{@code span_id} come from the span current on the logging thread (handlers format synchronously),
 * {@code exception} only when the record has a throwable.
 * <p>
 * {@code service} is resolved once, first match wins: system property {@code otel.service.name}, environment
 * variable {@code OTEL_SERVICE_NAME} (the deployment's choice), the logging property
 * {@code dev.bazaar.observability.JsonLogFormatter.service} (the default a service ships in its
 * {@code logging.properties}), then {@code bazaar}.
 * <p>
 * Selected from {@code logging.properties} by the handler's {@code <handler class>.formatter} key, e.g.
 * {@code io.helidon.logging.jul.HelidonConsoleHandler.formatter=dev.bazaar.observability.JsonLogFormatter}.
 * Formatting never throws: a record that cannot be formatted still yields a line saying so.
 */
public final class JsonLogFormatter extends Formatter {
    private static final String SERVICE_PROPERTY = JsonLogFormatter.class.getName() + ".service";
    private static final String FALLBACK_SERVICE = "bazaar";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String service;

    /** The formatter {@code java.util.logging} instantiates; the service name is resolved as described above. */
    public JsonLogFormatter() {
        this(resolveService());
    }

    /** A formatter reporting the given service name, for code that sets up logging itself. */
    public JsonLogFormatter(String service) {
        this.service = service == null || service.isBlank() ? FALLBACK_SERVICE : service;
    }

    /** The service name written into every line. */
    public String service() {
        return service;
    }

    @Override
    public String format(LogRecord record) {
        try {
            return line(record);
        } catch (RuntimeException | StackOverflowError e) {
            // a broken toString() in a parameter or exception must not lose the line, nor throw into the handler
            return fallbackLine(record, e);
        }
    }

    private String line(LogRecord record) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"timestamp\":\"").append(record.getInstant()).append('"');
        field(json, "level", record.getLevel() == null ? null : record.getLevel().getName());
        field(json, "service", service);
        field(json, "logger", record.getLoggerName());
        field(json, "message", formatMessage(record));
        field(json, "thread", threadName(record));
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            field(json, "trace_id", span.getTraceId());
            field(json, "span_id", span.getSpanId());
        }
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            json.append(",\"exception\":{\"class\":");
            string(json, thrown.getClass().getName());
            field(json, "message", thrown.getMessage());
            field(json, "stack_trace", stackTrace(thrown));
            json.append('}');
        }
        return json.append("}\n").toString();
    }

    private String fallbackLine(LogRecord record, Throwable failure) {
        StringBuilder json = new StringBuilder(160);
        json.append("{\"timestamp\":\"").append(record.getInstant()).append('"');
        field(json, "level", record.getLevel() == null ? null : record.getLevel().getName());
        field(json, "service", service);
        field(json, "logger", record.getLoggerName());
        field(json, "message", "unformattable log record (" + failure.getClass().getName() + "), raw message: "
                + record.getMessage());
        return json.append("}\n").toString();
    }

    /**
     * The logging thread is the one that logged (console handlers publish synchronously), so its name is the right
     * one; the record itself only carries the id. Virtual threads are usually unnamed: then {@code #id}.
     */
    private static String threadName(LogRecord record) {
        Thread current = Thread.currentThread();
        if (current.threadId() == record.getLongThreadID() && !current.getName().isEmpty()) {
            return current.getName();
        }
        return "#" + record.getLongThreadID();
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter(1024);
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append(",\"").append(name).append("\":");
        string(json, value);
    }

    /** Appends {@code value} as a JSON string ({@code null} as JSON null), escaping per RFC 8259. */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(value, i)) {
                        unicodeEscape(json, c);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /** An unpaired surrogate cannot be encoded as UTF-8; escaped, the line stays valid. */
    private static boolean isLoneSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
        }
        return false;
    }

    private static void unicodeEscape(StringBuilder json, char c) {
        json.append("\\u")
                .append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    private static String resolveService() {
        String name = System.getProperty("otel.service.name");
        if (name == null || name.isBlank()) {
            name = System.getenv("OTEL_SERVICE_NAME");
        }
        if (name == null || name.isBlank()) {
            name = LogManager.getLogManager().getProperty(SERVICE_PROPERTY);
        }
        return name == null || name.isBlank() ? FALLBACK_SERVICE : name.trim();
    }
}
