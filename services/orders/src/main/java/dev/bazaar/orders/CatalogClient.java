package dev.bazaar.orders;

import java.util.List;
import java.util.UUID;

/**
 * Catalog, as orders sees it.
 * Failures: {@code dev.bazaar.kit.Failure} {@code UNAVAILABLE} when catalog is not running, {@code TIMEOUT} when it is
 * too slow.
 */
public interface CatalogClient {
    /** Holds every item for the order, or nothing; the hold is keyed by the order id, so a retry is harmless. */
    StockReservation reserve(UUID orderId, List<PlaceOrder.Item> items);

    /** Gives the order's held stock back at once (idempotent). */
    void release(UUID orderId, String reason);

    /** The outcome of {@link #reserve}: products at their current prices, or what prevented the hold. */
    record StockReservation(boolean reserved, List<CatalogProduct> products, List<UUID> missing,
                            List<UUID> insufficient) {
    }
}
