package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/** Stock reservation use cases: all-or-nothing holds per order, release, confirmation and expiry. */
public final class StockService {
    private static final Logger LOG = Logger.getLogger(StockService.class.getName());
    static final int MAX_QUANTITY = 1000;

    private final ReservationRepository reservations;
    private final Clock clock;
    private final Duration holdFor;

    public StockService(ReservationRepository reservations, Clock clock, Duration holdFor) {
        this.reservations = reservations;
        this.clock = clock;
        this.holdFor = holdFor;
    }

    public Reservation reserve(UUID orderId, List<StockItem> items) {
        if (orderId == null) {
            throw Failure.invalid("orderId is required");
        }
        if (items == null || items.isEmpty() || items.size() > CatalogService.MAX_BATCH) {
            throw Failure.invalid("items must hold 1.." + CatalogService.MAX_BATCH + " products");
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            StockItem item = items.get(i);
            if (item == null || item.productId() == null) {
                throw Failure.invalid("items[" + i + "].productId is required");
            }
            if (item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
                throw Failure.invalid("items[" + i + "].quantity must be 1.." + MAX_QUANTITY);
            }
            if (!seen.add(item.productId())) {
                throw Failure.invalid("items[" + i + "].productId appears twice");
            }
        }
        return reservations.reserve(orderId, items, clock.instant().plus(holdFor));
    }

    public boolean release(UUID orderId, String reason) {
        if (orderId == null) {
            throw Failure.invalid("orderId is required");
        }
        return reservations.release(orderId, reason == null || reason.isBlank() ? "released" : reason);
    }

    /** An order was placed with this reservation: it is no longer subject to expiry. */
    public void confirm(UUID orderId) {
        if (!reservations.confirm(orderId)) {
            LOG.warning(() -> "order " + orderId + " was placed but its reservation is not held (expired or released)");
        }
    }

    /** Releases lapsed holds, a batch at a time; returns how many were released. */
    public int expireLapsed() {
        int total = 0;
        int released;
        do {
            released = reservations.expire(clock.instant(), 100);
            total += released;
        } while (released == 100);
        return total;
    }
}
