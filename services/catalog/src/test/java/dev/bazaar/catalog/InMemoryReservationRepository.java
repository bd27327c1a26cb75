package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Stock holds in a map over {@link InMemoryProductRepository}'s stock, for unit tests; one lock for everything. */
final class InMemoryReservationRepository implements ReservationRepository {
    private static final String EXPIRED = "expired";

    private enum Status { HELD, CONFIRMED, RELEASED }

    private record Hold(Status status, List<StockItem> lines, Instant expiresAt, String reason) {
    }

    private final InMemoryProductRepository products;
    private final Map<UUID, Hold> holds = new HashMap<>();

    InMemoryReservationRepository(InMemoryProductRepository products) {
        this.products = products;
    }

    @Override
    public synchronized Reservation reserve(UUID orderId, List<StockItem> items, Instant expiresAt,
                                            Function<Map<UUID, Product>, Reservation> decide) {
        Hold hold = holds.get(orderId);
        if (hold != null) {
            if (hold.status() == Status.RELEASED) {
                throw Failure.conflict("the reservation for order " + orderId + " was already released");
            }
            return new Reservation(orderId, true, current(hold.lines()), List.of(), List.of(), hold.expiresAt());
        }
        Reservation outcome = decide.apply(byId(items));
        if (outcome.reserved()) {
            items.forEach(item -> products.addStock(item.productId(), -item.quantity()));
            holds.put(orderId, new Hold(Status.HELD, List.copyOf(items), expiresAt, null));
        }
        return outcome;
    }

    @Override
    public synchronized boolean release(UUID orderId, String reason) {
        Hold hold = holds.get(orderId);
        if (hold == null) {
            // the tombstone: a late reserve for this order is refused
            holds.put(orderId, new Hold(Status.RELEASED, List.of(), Instant.now(), reason));
            return false;
        }
        if (hold.status() == Status.RELEASED) {
            if (EXPIRED.equals(hold.reason()) && !EXPIRED.equals(reason)) {
                holds.put(orderId, new Hold(Status.RELEASED, hold.lines(), hold.expiresAt(), reason));
            }
            return false;
        }
        hold.lines().forEach(item -> products.addStock(item.productId(), item.quantity()));
        holds.put(orderId, new Hold(Status.RELEASED, hold.lines(), hold.expiresAt(), reason));
        return true;
    }

    @Override
    public synchronized Commitment commit(UUID orderId) {
        Hold hold = holds.get(orderId);
        if (hold == null) {
            return Commitment.refused("catalog never reserved stock for order " + orderId);
        }
        if (hold.status() == Status.RELEASED && !EXPIRED.equals(hold.reason())) {
            return Commitment.refused("the order's stock was released (" + hold.reason() + ")");
        }
        boolean retaken = hold.status() == Status.RELEASED;
        if (retaken) {
            Reservation again = Reservation.decide(orderId, hold.lines(), byId(hold.lines()), null);
            if (!again.reserved()) {
                return Commitment.refused("the order's hold lapsed and its stock is gone since (sold out: "
                        + again.insufficient() + ", removed: " + again.missing() + ")");
            }
            hold.lines().forEach(item -> products.addStock(item.productId(), -item.quantity()));
        }
        holds.put(orderId, new Hold(Status.CONFIRMED, hold.lines(), hold.expiresAt(), null));
        return new Commitment(true, retaken, null);
    }

    @Override
    public synchronized int expire(Instant now, int limit) {
        List<UUID> lapsed = holds.entrySet().stream()
                .filter(e -> e.getValue().status() == Status.HELD && e.getValue().expiresAt().isBefore(now))
                .sorted(Map.Entry.comparingByValue(Comparator.comparing(Hold::expiresAt)))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
        lapsed.forEach(orderId -> release(orderId, EXPIRED));
        return lapsed.size();
    }

    private Map<UUID, Product> byId(List<StockItem> items) {
        Map<UUID, Product> found = new HashMap<>();
        products.findAll(items.stream().map(StockItem::productId).toList()).forEach(p -> found.put(p.id(), p));
        return found;
    }

    private List<Product> current(List<StockItem> lines) {
        return products.findAll(lines.stream().map(StockItem::productId).toList());
    }
}
