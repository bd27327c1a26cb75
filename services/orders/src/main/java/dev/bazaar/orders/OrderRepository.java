package dev.bazaar.orders;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Where orders are kept; every method is one transaction, events included. */
public interface OrderRepository {
    /**
     * Stores the order, its lines, its first status entry and {@code events}, all or nothing; with {@code key}
     * (nullable) kept beside it.
     *
     * @throws KeyTaken when the customer already has an order under {@code key} (a concurrent retry won)
     */
    void insert(Order order, IdempotencyKey key, List<OutgoingEvent> events);

    Optional<Order> find(UUID id);

    /** Ids of orders still {@code PLACED} that were placed before {@code cutoff}, oldest first, at most {@code limit}. */
    List<UUID> placedBefore(Instant cutoff, int limit);

    /** The customer's order placed under an Idempotency-Key, with the fingerprint of the request that placed it. */
    Optional<KeyedOrder> findByKey(String customerId, String key);

    /** An order and the fingerprint of the request that placed it under its key. */
    record KeyedOrder(Order order, String requestFingerprint) {
    }

    /** The customer already has an order under this Idempotency-Key; nothing was written. */
    final class KeyTaken extends RuntimeException {
        public KeyTaken(Throwable cause) {
            super("idempotency key already used", cause, false, false);
        }
    }

    /**
     * Applies an incoming event once: if {@code consumer} has not seen {@code eventId} and the order may move to
     * {@code target}, moves it (at {@code at}), records the change in its history and stores the events {@code then} makes of the
     * moved order. Returns the moved order, or empty when the event was a repeat, the order is unknown, or the move
     * is not allowed (late or out-of-order events change nothing).
     */
    Optional<Order> transition(String consumer, String eventId, UUID orderId, OrderStatus target, String reason,
                               Instant at, Function<Order, List<OutgoingEvent>> then);
}
