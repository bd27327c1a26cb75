package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;

/**
 * JetStream answered a publish with a refusal: no stream captures the subject, the stream is full (discard policy
 * {@code new}), the message is too large... Unlike a missing acknowledgement (NATS unreachable, slow), this concerns
 * one message: other messages may still go through, and this one only after someone fixes the cause.
 */
public class PublishRefusedException extends MessagingException {
    public PublishRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
