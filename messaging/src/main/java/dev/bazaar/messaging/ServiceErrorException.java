package dev.bazaar.messaging;

import java.util.Objects;

/**
 * Thrown by a {@link RequestHandler} to answer with a standard service error instead of a reply, e.g. {@code new
 * ServiceErrorException(404, "no such product")}. The message is sent to the caller as is.
 */
public class ServiceErrorException extends MessagingException {
    private final ServiceError error;

    public ServiceErrorException(int code, String message) {
        super(Objects.requireNonNullElse(message, ""));
        // Validates the code at the throw site rather than when the reply is built.
        this.error = new ServiceError(code, Objects.requireNonNullElse(message, ""));
    }

    /** The error code to answer with. */
    public int code() {
        return error.code();
    }

    /** The error to answer with. */
    public ServiceError error() {
        return error;
    }
}
