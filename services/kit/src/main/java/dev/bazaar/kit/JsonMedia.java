package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.MalformedMessageException;
import io.helidon.common.GenericType;
import io.helidon.http.Headers;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.EntityReader;
import io.helidon.http.media.EntityWriter;
import io.helidon.http.media.MediaSupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Helidon media support over the shared Jackson mapper (Helidon's Jackson module is not available at 4.3.0 here).
 * It claims JSON bodies of application types only: strings, bytes, streams and JSON-P (health) stay with Helidon.
 * A body that is not valid JSON for the target type (coercions and control characters included, see
 * {@link JsonCodec}) becomes a 400 {@link Failure}.
 */
public final class JsonMedia implements MediaSupport {
    private static final Set<Class<?>> NOT_OURS = Set.of(String.class, byte[].class, InputStream.class, Void.class);
    private final JsonCodec codec;

    public JsonMedia(JsonCodec codec) {
        this.codec = codec;
    }

    @Override
    public String name() {
        return "bazaar-jackson";
    }

    @Override
    public String type() {
        return "jackson";
    }

    @Override
    public <T> ReaderResponse<T> reader(GenericType<T> type, Headers requestHeaders) {
        if (!ours(type) || !jsonOrAbsent(requestHeaders)) {
            return ReaderResponse.unsupported();
        }
        return new ReaderResponse<>(SupportLevel.COMPATIBLE, this::entityReader);
    }

    @Override
    public <T> ReaderResponse<T> reader(GenericType<T> type, Headers requestHeaders, Headers responseHeaders) {
        return reader(type, responseHeaders);
    }

    @Override
    public <T> WriterResponse<T> writer(GenericType<T> type, Headers requestHeaders, WritableHeaders<?> responseHeaders) {
        return writer(type, responseHeaders);
    }

    @Override
    public <T> WriterResponse<T> writer(GenericType<T> type, WritableHeaders<?> headers) {
        if (!ours(type)) {
            return WriterResponse.unsupported();
        }
        return new WriterResponse<>(SupportLevel.COMPATIBLE, this::entityWriter);
    }

    private static boolean ours(GenericType<?> type) {
        Class<?> raw = type.rawType();
        return !NOT_OURS.contains(raw) && !raw.getName().startsWith("jakarta.json") && !raw.isPrimitive();
    }

    private static boolean jsonOrAbsent(Headers headers) {
        return headers.contentType()
                .map(HttpMediaType::mediaType)
                .map(media -> media.subtype().equals("json") || media.subtype().endsWith("+json"))
                .orElse(true);
    }

    private <T> EntityReader<T> entityReader() {
        return new EntityReader<>() {
            @Override
            public T read(GenericType<T> type, InputStream stream, Headers headers) {
                byte[] body;
                try (stream) {
                    body = stream.readAllBytes(); // at most server.max-payload-size
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try {
                    return codec.decode(body, type.type());
                } catch (MalformedMessageException e) {
                    // the codec's message names the property, never the input or a Java type
                    throw Failure.invalid("malformed JSON body: " + e.getMessage());
                }
            }

            @Override
            public T read(GenericType<T> type, InputStream stream, Headers requestHeaders, Headers responseHeaders) {
                return read(type, stream, responseHeaders);
            }
        };
    }

    private <T> EntityWriter<T> entityWriter() {
        return new EntityWriter<>() {
            @Override
            public void write(GenericType<T> type, T object, OutputStream out, Headers requestHeaders,
                              WritableHeaders<?> responseHeaders) {
                write(type, object, out, responseHeaders);
            }

            @Override
            public void write(GenericType<T> type, T object, OutputStream out, WritableHeaders<?> headers) {
                if (!headers.contains(io.helidon.http.HeaderNames.CONTENT_TYPE)) {
                    headers.set(HeaderValues.CONTENT_TYPE_JSON);
                }
                try (out) {
                    codec.mapper().writeValue(out, object);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
