package dev.bazaar.messaging;

/** No reply arrived within the request timeout (a responder exists but was too slow, or the reply was lost). */
public final class RequestTimeoutException extends MessagingException {
    public RequestTimeoutException(String message) {
        super(message);
    }
}
