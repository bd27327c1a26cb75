package dev.bazaar.contracts;

/**
 * The one exception type domain code throws: a kind (mapped once per edge, to an HTTP status or a NATS service
 * error code) and a message safe to show to the caller. Anything else that escapes a use case is an internal error.
 */
public final class Failure extends RuntimeException {
    /** What went wrong, with the status number HTTP and NATS error replies both use. */
    public enum Kind {
        INVALID(400, "Invalid request"),
        UNAUTHORIZED(401, "Unauthorized"),
        FORBIDDEN(403, "Forbidden"),
        NOT_FOUND(404, "Not found"),
        METHOD_NOT_ALLOWED(405, "Method not allowed"),
        CONFLICT(409, "Conflict"),
        TOO_LARGE(413, "Payload too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
        /** Well-formed but contradicting what was sent before (an Idempotency-Key reused with another body). */
        UNPROCESSABLE(422, "Unprocessable content"),
        TOO_MANY_REQUESTS(429, "Too many requests"),
        INTERNAL(500, "Internal error"),
        UNAVAILABLE(503, "Service unavailable"),
        TIMEOUT(504, "Upstream timeout");

        private final int status;
        private final String title;

        Kind(int status, String title) {
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }

        /** The kind for a status number received from another service; unknown numbers are internal errors. */
        public static Kind ofStatus(int status) {
            for (Kind kind : values()) {
                if (kind.status == status) {
                    return kind;
                }
            }
            return INTERNAL;
        }
    }

    private final Kind kind;

    public Failure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static Failure invalid(String message) {
        return new Failure(Kind.INVALID, message);
    }

    public static Failure notFound(String message) {
        return new Failure(Kind.NOT_FOUND, message);
    }

    public static Failure conflict(String message) {
        return new Failure(Kind.CONFLICT, message);
    }

    public static Failure unprocessable(String message) {
        return new Failure(Kind.UNPROCESSABLE, message);
    }

    public static Failure unavailable(String message) {
        return new Failure(Kind.UNAVAILABLE, message);
    }

    public static Failure timeout(String message) {
        return new Failure(Kind.TIMEOUT, message);
    }
}
