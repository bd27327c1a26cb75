package dev.bazaar.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The one JSON configuration shared by HTTP and NATS, so that a record looks the same on every wire: records
 * supported, {@code java.time} values as ISO-8601 strings, unknown properties ignored (tolerant readers let
 * contracts grow), {@code null} or missing values for primitives refused, trailing garbage refused. It never
 * coerces: {@code 2.9} or {@code "3"} for an integer, a number for a string or a string for a boolean are refused
 * rather than read as {@code 2}, {@code 3}, {@code "7"} or {@code true}; and a string holding a control character
 * (NUL included, which PostgreSQL cannot store) is refused. Error messages name the property, never the input or a
 * Java type.
 */
public final class JsonCodec {
    private final ObjectMapper mapper;

    private JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A codec with the standard configuration; each call builds its own mapper, so nobody can reconfigure ours. */
    public static JsonCodec standard() {
        return new JsonCodec(JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Error messages must not echo payloads back to callers or into logs.
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfigDefaults(coercion -> coercion
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setAcceptBlankAsEmpty(false))
                // a number or boolean for a String would be read as its text: refused too
                .withCoercionConfig(LogicalType.Textual, coercion -> coercion
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("printable-strings").addDeserializer(String.class, new PrintableStrings()))
                .build());
    }

    /** Whether {@code text} holds a C0 control character (NUL to U+001F) or DEL: refused in every string. */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** Jackson's own String reading (with the coercion rules above), then the control-character check. */
    private static final class PrintableStrings extends StdScalarDeserializer<String> {
        PrintableStrings() {
            super(String.class);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && hasControlCharacter(text)) {
                throw new ControlCharacterException(parser);
            }
            return text;
        }
    }

    /** A string with a control character; the message names no value. */
    private static final class ControlCharacterException extends JsonMappingException {
        ControlCharacterException(JsonParser parser) {
            super(parser, "control character in a string");
        }
    }

    /** The configured mapper, e.g. for Helidon's Jackson media support. Do not reconfigure it. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** JSON bytes of {@code value}; {@code null} encodes as {@code null}. */
    public byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            String type = value == null ? "null" : value.getClass().getSimpleName();
            throw new MessagingException("cannot encode " + type + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes {@code data} as {@code type}.
     *
     * @throws MalformedMessageException if the bytes are not valid JSON or do not fit {@code type}; the message
     *                                   names the offending property but no class or library internals
     */
    public <T> T decode(byte[] data, Class<T> type) {
        return decode(data, (Type) type);
    }

    /** Decodes {@code data} as the generic {@code type} (e.g. a list of records), as {@link #decode(byte[], Class)}. */
    public <T> T decode(byte[] data, Type type) {
        Objects.requireNonNull(type, "type");
        if (data == null || data.length == 0) {
            throw new MalformedMessageException("empty payload");
        }
        try {
            return mapper.readValue(data, mapper.getTypeFactory().constructType(type));
        } catch (IOException e) {
            throw new MalformedMessageException(describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof InputCoercionException tooBig && tooBig.getProcessor() instanceof JsonParser parser) {
            return "number out of range for " + quoted(path(parser.getParsingContext()));
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return "not valid JSON"; // parser errors: syntax, truncation, trailing tokens
        }
        String path = path(mapping);
        String what = quoted(path);
        if (e instanceof ValueInstantiationException) {
            // A record's constructor refused the values; IllegalArgumentException carries its intended message.
            return e.getCause() instanceof IllegalArgumentException invalid && invalid.getMessage() != null
                    ? "invalid " + what + ": " + invalid.getMessage()
                    : "invalid " + what;
        }
        if (e instanceof ControlCharacterException) {
            return "control characters are not allowed in " + what;
        }
        if (path.isEmpty()) {
            return "JSON of the wrong shape"; // e.g. an array where an object belongs
        }
        return e instanceof MismatchedInputException
                ? "invalid or missing value for '" + path + "'"
                : "invalid value for '" + path + "'";
    }

    private static String quoted(String path) {
        return path.isEmpty() ? "value" : "'" + path + "'";
    }

    /** Where the parser stood, as {@link #path(JsonMappingException)} writes it. */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.getCurrentName() != null) {
                parts.addFirst("." + at.getCurrentName());
            } else if (at.inArray()) {
                parts.addFirst("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** {@code items[2].sku}: property names and indexes only. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
