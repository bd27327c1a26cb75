package dev.bazaar.orders;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A hand-written fake of the repository port; {@link OrderRepositoryContract} keeps it honest. */
final class InMemoryOrderRepository implements OrderRepository {
    final Map<UUID, Order> orders = new ConcurrentHashMap<>();
    final List<OutgoingEvent> events = new CopyOnWriteArrayList<>();
    final Set<SourceEvent> processed = ConcurrentHashMap.newKeySet();
    final Map<String, KeyedOrder> keys = new ConcurrentHashMap<>();
    boolean failInserts;

    @Override
    public synchronized void insert(Order order, IdempotencyKey key, List<OutgoingEvent> newEvents) {
        if (failInserts) {
            throw new IllegalStateException("disk full");
        }
        if (key != null && keys.putIfAbsent(order.customerId() + "/" + key.value(),
                new KeyedOrder(order, key.requestFingerprint())) != null) {
            throw new KeyTaken(null);
        }
        orders.put(order.id(), order);
        events.addAll(newEvents);
    }

    @Override
    public Optional<KeyedOrder> findByKey(String customerId, String key) {
        return Optional.ofNullable(keys.get(customerId + "/" + key))
                .map(keyed -> new KeyedOrder(orders.get(keyed.order().id()), keyed.requestFingerprint()));
    }

    @Override
    public Optional<Order> find(UUID id) {
        return Optional.ofNullable(orders.get(id));
    }

    @Override
    public List<UUID> placedBefore(Instant cutoff, int limit) {
        return orders.values().stream()
                .filter(order -> order.status() == OrderStatus.PLACED && order.placedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(Order::placedAt)).limit(limit).map(Order::id).toList();
    }

    @Override
    public List<Order> list(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        Comparator<Order> newestFirst = Comparator.comparing(Order::placedAt).thenComparing(Order::id).reversed();
        return orders.values().stream()
                .filter(order -> customerId == null || customerId.equals(order.customerId()))
                .filter(order -> beforeAt == null || order.placedAt().isBefore(beforeAt)
                        || order.placedAt().equals(beforeAt) && order.id().compareTo(beforeId) < 0)
                .sorted(newestFirst)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<Order> update(UUID id, SourceEvent source,
                                               Function<Order, Optional<OrderChange>> change) {
        if (!processed.add(source) || !orders.containsKey(id)) {
            return Optional.empty();
        }
        Order current = orders.get(id);
        Optional<OrderChange> decided = change.apply(current);
        while (decided.isPresent() && orders.get(id).status() != current.status()) {
            // Changed meanwhile (the change itself applied another event): decided again, as JdbiOrderRepository does.
            current = orders.get(id);
            decided = change.apply(current);
        }
        decided.ifPresent(c -> {
            orders.put(id, c.order());
            events.addAll(c.events());
        });
        return decided.map(OrderChange::order);
    }
}
