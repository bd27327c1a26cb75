package dev.bazaar.messaging;

/** A payload could not be decoded; the message says what and where, never library internals. */
public final class MalformedMessageException extends MessagingException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
