package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;

/**
 * Thrown by an {@link EventHandler} for an event that can never succeed (it contradicts the handler's state, names
 * something that cannot exist...): the listener dead-letters it at once instead of retrying.
 */
public class PoisonEventException extends MessagingException {
    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
