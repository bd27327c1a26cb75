package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.events.EventHandler;
import dev.bazaar.messaging.events.PoisonEventException;

/**
 * The one translation of domain failures for JetStream listeners, as {@code Problems} is for HTTP: an event the
 * domain calls {@code INVALID} can never succeed, so it is dead-lettered at once; any other failure is retried.
 */
public final class EventHandlers {
    private EventHandlers() {
    }

    /** {@code handler}, with a {@link Failure.Kind#INVALID} failure turned into a {@link PoisonEventException}. */
    public static <E> EventHandler<E> invalidIsPoison(EventHandler<E> handler) {
        return (event, context) -> {
            if (event == null) {
                throw new PoisonEventException("empty event");
            }
            try {
                handler.handle(event, context);
            } catch (Failure failure) {
                if (failure.kind() == Failure.Kind.INVALID) {
                    throw new PoisonEventException(failure.getMessage(), failure);
                }
                throw failure;
            }
        };
    }
}
