package dev.bazaar.identity;

import java.time.Duration;

/**
 * A request refused to protect the service rather than for what it says: {@code 503} when the password hashing
 * bulkhead is full, {@code 429} when a client address registers too often. Always with {@code Retry-After}. The token
 * endpoint answers it as an OAuth2 error body, everything else as problem details.
 */
public final class Throttled extends RuntimeException {
    private final int status;
    private final String oauthError;
    private final Duration retryAfter;

    private Throttled(int status, String oauthError, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.oauthError = oauthError;
        this.retryAfter = retryAfter;
    }

    /** Every hashing slot and queue place is taken: try again in a second. */
    public static Throttled busy() {
        return new Throttled(503, "temporarily_unavailable", "too many password checks in progress, retry after 1 s",
                Duration.ofSeconds(1));
    }

    /** Too many attempts from one client address; {@code retryAfter} rounded up to whole seconds. */
    public static Throttled tooMany(String what, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new Throttled(429, "invalid_request", what + ", retry after " + seconds + " s",
                Duration.ofSeconds(seconds));
    }

    public int status() {
        return status;
    }

    /** The RFC 6749 error code used when the token endpoint answers. */
    public String oauthError() {
        return oauthError;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
