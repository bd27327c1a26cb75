package dev.bazaar.messaging;

/**
 * Nobody is subscribed to the subject: the server answered at once with its "503 no responders" status, so the
 * caller learns it without waiting for the timeout.
 */
public final class NoRespondersException extends MessagingException {
    public NoRespondersException(String message) {
        super(message);
    }
}
