package dev.bazaar.identity;

import java.time.Duration;

/**
 * An OAuth2 error (RFC 6749 section 5.2): the token and revocation endpoints answer with these instead of problem
 * details, because OAuth2 clients expect {@code {"error", "error_description"}}.
 */
public final class OAuthError extends RuntimeException {
    private final String error;
    private final int status;
    private final Duration retryAfter;

    private OAuthError(String error, String description, int status, Duration retryAfter) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, 400, null);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, 400, null);
    }

    /** 401: the endpoint adds {@code WWW-Authenticate: Basic}. */
    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, 401, null);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description, 400, null);
    }

    public static OAuthError unsupportedGrantType(String grantType) {
        return new OAuthError("unsupported_grant_type", "grant_type " + grantType + " is not supported", 400, null);
    }

    /** 429 with {@code Retry-After}: too many failed logins from this account or address. */
    public static OAuthError tooManyFailures(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new OAuthError("invalid_grant", "too many failed logins, retry after " + seconds + " s", 429,
                Duration.ofSeconds(seconds));
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** Null unless the status is 429. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
