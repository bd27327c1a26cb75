package dev.bazaar.messaging;

/**
 * The connection to NATS is down (reconnecting, or closed): a request was not sent, so the caller learns it at once
 * instead of waiting out its timeout while the request sits in the reconnect buffer.
 */
public final class NotConnectedException extends MessagingException {
    public NotConnectedException(String message) {
        super(message);
    }
}
