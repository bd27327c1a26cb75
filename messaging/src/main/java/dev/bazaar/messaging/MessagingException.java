package dev.bazaar.messaging;

/** Base of every messaging failure; unchecked so that callers decide where to handle it. */
public class MessagingException extends RuntimeException {
    public MessagingException(String message) {
        super(message);
    }

    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
