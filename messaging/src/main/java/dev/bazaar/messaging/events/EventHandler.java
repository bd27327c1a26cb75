package dev.bazaar.messaging.events;

/**
 * Where one event type is handled, on a virtual thread of its {@link EventListener}. Returning acknowledges the
 * message; throwing retries it later (with the consumer's backoff) until its deliveries run out, then it is
 * dead-lettered; throwing {@link PoisonEventException} dead-letters it at once. A handler must be idempotent (events
 * arrive late, twice, out of order): guard its effects with {@code ProcessedEvents} or make them idempotent by state.
 *
 * @param <E> the event record
 */
@FunctionalInterface
public interface EventHandler<E> {
    void handle(E event, EventContext context) throws Exception;
}
