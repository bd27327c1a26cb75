package dev.bazaar.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.Objects;

/**
 * The one JSON configuration shared by HTTP and NATS, so that a record looks the same on every wire: records
 * supported, {@code java.time} values as ISO-8601 strings, unknown properties ignored (tolerant readers let
 * contracts grow), {@code null} or missing values for primitives refused, trailing garbage refused.
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
                .build());
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
        Objects.requireNonNull(type, "type");
        if (data == null || data.length == 0) {
            throw new MalformedMessageException("empty payload, expected " + type.getSimpleName());
        }
        try {
            return mapper.readValue(data, type);
        } catch (IOException e) {
            throw new MalformedMessageException(describe(e, type), e);
        }
    }

    private static String describe(IOException e, Class<?> type) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "not valid JSON"; // parser errors: syntax, truncation, trailing tokens
        }
        String path = path(mapping);
        if (e instanceof ValueInstantiationException) {
            // A record's constructor refused the values; IllegalArgumentException carries its intended message.
            String what = path.isEmpty() ? type.getSimpleName() : "'" + path + "'";
            return e.getCause() instanceof IllegalArgumentException invalid && invalid.getMessage() != null
                    ? "invalid " + what + ": " + invalid.getMessage()
                    : "invalid " + what;
        }
        if (path.isEmpty()) {
            return "JSON does not match " + type.getSimpleName();
        }
        return e instanceof MismatchedInputException
                ? "invalid or missing value for '" + path + "'"
                : "invalid value for '" + path + "'";
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
