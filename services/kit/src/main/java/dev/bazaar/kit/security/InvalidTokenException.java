package dev.bazaar.kit.security;

/**
 * A bearer token that is missing or not acceptable. The message is safe to show the caller (it becomes the
 * {@code error_description} of the {@code WWW-Authenticate} challenge); it never contains the token.
 */
public final class InvalidTokenException extends RuntimeException {
    private final boolean missing;

    private InvalidTokenException(String message, boolean missing) {
        super(message, null, false, false);
        this.missing = missing;
    }

    static InvalidTokenException noToken() {
        return new InvalidTokenException("a bearer access token is required", true);
    }

    static InvalidTokenException invalid(String description) {
        return new InvalidTokenException(description, false);
    }

    /** True when no token was sent at all (RFC 6750: then the challenge carries no {@code error}). */
    public boolean isMissing() {
        return missing;
    }
}
