package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.JsonCodec;
import io.helidon.webserver.http.ServerRequest;

import java.util.UUID;

/** Decoding of request parts, with a 400 {@link Failure} that names the part when it is wrong. */
public final class Requests {
    private Requests() {
    }

    /** The JSON body as {@code type}; a missing, empty or malformed body is a 400, a body that is not JSON a 415. */
    public static <T> T body(ServerRequest req, Class<T> type) {
        if (!req.content().hasEntity()) {
            throw Failure.invalid("a JSON request body is required");
        }
        req.headers().contentType()
                .filter(media -> !media.subtype().equals("json") && !media.subtype().endsWith("+json"))
                .ifPresent(media -> {
                    throw new Failure(Failure.Kind.UNSUPPORTED_MEDIA_TYPE,
                            "the body must be application/json, not " + media.mediaType().text());
                });
        T body = req.content().as(type);
        if (body == null) {
            throw Failure.invalid("a JSON request body is required");
        }
        return body;
    }

    /**
     * True when the request was asked as a HEAD: routed as the GET, whose body is dropped (see {@code
     * HttpServers.routing}). A handler that streams until the client leaves (server-sent events) answers such a
     * request with the headers only, or it would stream into nothing for ever.
     */
    public static boolean isHead(ServerRequest req) {
        return RouteFallbacks.askedAsHead(req);
    }

    /** A path parameter that must be a UUID. */
    public static UUID uuidParam(ServerRequest req, String name) {
        String value = req.path().pathParameters().get(name);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Failure.invalid(name + " must be a UUID");
        }
    }

    /** A text query parameter that is present: 1..255 characters, none of them a control character. */
    public static String textQuery(ServerRequest req, String name) {
        String value = req.query().get(name);
        if (value.isEmpty() || value.length() > 255 || JsonCodec.hasControlCharacter(value)) {
            throw Failure.invalid(name + " must be 1..255 characters, no control characters");
        }
        return value;
    }

    /** An optional integer query parameter. */
    public static int intQuery(ServerRequest req, String name, int fallback) {
        var values = req.query();
        if (!values.contains(name)) {
            return fallback;
        }
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw Failure.invalid(name + " must be an integer");
        }
    }
}
