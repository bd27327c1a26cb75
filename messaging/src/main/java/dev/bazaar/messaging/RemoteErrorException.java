package dev.bazaar.messaging;

/**
 * The responder answered with a standard service error ({@code Nats-Service-Error-Code} and {@code
 * Nats-Service-Error} headers), e.g. 404 for an unknown entity or 500 for its own failure.
 */
public final class RemoteErrorException extends MessagingException {
    private final int code;
    private final String errorMessage;

    public RemoteErrorException(int code, String errorMessage) {
        super("service error " + code + ": " + errorMessage);
        this.code = code;
        this.errorMessage = errorMessage;
    }

    /** The error code sent by the responder (HTTP-like: 4xx caller's fault, 5xx responder's fault). */
    public int code() {
        return code;
    }

    /** The error text sent by the responder. */
    public String errorMessage() {
        return errorMessage;
    }
}
