package dev.bazaar.messaging;

import java.util.Objects;

/**
 * A standard service error to answer with: an HTTP-like code (4xx caller's fault, 5xx ours) and a message that is
 * safe to show the caller.
 */
public record ServiceError(int code, String message) {
    public ServiceError {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("service error code must have three digits: " + code);
        }
        Objects.requireNonNull(message, "message");
    }
}
