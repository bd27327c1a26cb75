package dev.bazaar.messaging;

/**
 * The connection to NATS is down (reconnecting, or closed): a request was not sent, so the caller learns it at once
 * instead of waiting out its timeout while the request sits in the reconnect buffer; or it went down while a request
 * waited for its reply (jnats cancelled it). Either way the peer is unreachable for now: callers answer 503.
 */
public final class NotConnectedException extends MessagingException {
    public NotConnectedException(String message) {
        super(message);
    }
}
