package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;
import dev.bazaar.contracts.orders.OrderLimits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/** Stock reservation use cases: all-or-nothing holds per order, release, confirmation and expiry. */
public final class StockService {
    private static final Logger LOG = Logger.getLogger(StockService.class.getName());
    private final ReservationRepository reservations;
    private final OrderLimits limits;
    private final Clock clock;
    private final Duration holdFor;

    /** {@code limits}: a reservation holds stock for one order, so it is as large as an order may be. */
    public StockService(ReservationRepository reservations, OrderLimits limits, Clock clock, Duration holdFor) {
        this.reservations = reservations;
        this.limits = limits;
        this.clock = clock;
        this.holdFor = holdFor;
    }

    public Reservation reserve(UUID orderId, List<StockItem> items) {
        if (orderId == null) {
            throw Failure.invalid("orderId is required");
        }
        if (items == null || items.isEmpty() || items.size() > limits.maxLines()) {
            throw Failure.invalid("items must hold 1.." + limits.maxLines() + " products");
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            StockItem item = items.get(i);
            if (item == null || item.productId() == null) {
                throw Failure.invalid("items[" + i + "].productId is required");
            }
            if (item.quantity() < 1 || item.quantity() > limits.maxQuantity()) {
                throw Failure.invalid("items[" + i + "].quantity must be 1.." + limits.maxQuantity());
            }
            if (!seen.add(item.productId())) {
                throw Failure.invalid("items[" + i + "].productId appears twice");
            }
        }
        Instant expiresAt = clock.instant().plus(holdFor);
        return reservations.reserve(orderId, items, expiresAt,
                products -> Reservation.decide(orderId, items, products, expiresAt));
    }

    public boolean release(UUID orderId, String reason) {
        if (orderId == null) {
            throw Failure.invalid("orderId is required");
        }
        return reservations.release(orderId, reason == null || reason.isBlank() ? "released" : reason);
    }

    /**
     * Makes the order's stock its own for good, when the order is placed (catalog's order-placed listener) and again
     * before payments charges the customer ({@code catalog.commit-stock}): a live hold is kept, a lapsed one is taken
     * again if its stock is still there, anything else is refused, and the order must then not be paid (issue 9,
     * gap 1: a confirmed order never sells stock that went back on the shelf).
     */
    public Commitment commit(UUID orderId) {
        if (orderId == null) {
            throw Failure.invalid("orderId is required");
        }
        Commitment commitment = reservations.commit(orderId);
        if (commitment.retaken()) {
            LOG.info(() -> "order " + orderId + ": its hold had lapsed; the same stock was taken again");
        } else if (!commitment.committed()) {
            LOG.info(() -> "order " + orderId + " holds no stock: " + commitment.reason());
        }
        return commitment;
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
