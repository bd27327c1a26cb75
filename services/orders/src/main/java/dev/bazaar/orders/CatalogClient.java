package dev.bazaar.orders;

import java.util.List;
import java.util.UUID;

/**
 * Catalog, as orders sees it.
 * Failures: {@code dev.bazaar.contracts.Failure} {@code UNAVAILABLE} when catalog is not running, {@code TIMEOUT} when it is
 * too slow.
 */
public interface CatalogClient {
    /**
     * Holds every item for the order, or nothing; the hold is keyed by the order id, so a retry is harmless. Made on
     * the customer's behalf (catalog checks their credential).
     */
    StockReservation reserve(UUID orderId, List<PlaceOrder.Item> items, Customer customer);

    /**
     * Gives the order's held stock back at once (idempotent). Service to service, with no customer credential: it
     * also runs when the customer's token may have expired, and it only ever returns stock to the shelf.
     */
    void release(UUID orderId, String reason);

    /** The outcome of {@link #reserve}: products at their current prices, or what prevented the hold. */
    record StockReservation(boolean reserved, List<CatalogProduct> products, List<UUID> missing,
                            List<UUID> insufficient) {
    }
}
