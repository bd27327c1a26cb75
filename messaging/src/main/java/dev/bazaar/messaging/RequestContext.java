package dev.bazaar.messaging;

import java.util.Map;
import java.util.Objects;

/**
 * What a handler may want besides the payload: the subject and the request headers (first value per header name,
 * trace headers included).
 */
public record RequestContext(String subject, Map<String, String> headers) {
    public RequestContext {
        Objects.requireNonNull(subject, "subject");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The first value of {@code name}, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }
}
