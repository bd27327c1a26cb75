package dev.bazaar.orders;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;
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

    /**
     * Up to {@code limit} orders, newest first ({@code placedAt}, then id, descending): of {@code customerId}, or of
     * everyone when it is null; only those after the {@code (beforeAt, beforeId)} of the previous page when given.
     */
    List<Order> list(String customerId, Instant beforeAt, UUID beforeId, int limit);

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
     * In one transaction: unless {@code source} was applied before, loads the order, lets {@code change} decide, and
     * stores what it decided: the order's new status and history entries, and its events; if a concurrent change
     * stored the order in between, {@code change} decides again on what that stored (so it may be called more than
     * once, and must have no side effects). Returns the stored order; empty when {@code source} is a repeat, the order is unknown, or
     * {@code change} decided nothing (then nothing is written, and the event still counts as applied).
     */
    Optional<Order> update(UUID id, SourceEvent source, Function<Order, Optional<OrderChange>> change);
}
