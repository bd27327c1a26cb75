package dev.bazaar.contracts.catalog;

import java.util.List;
import java.util.UUID;

/**
 * Reserves all items or none, for one order. The reservation id is the order id, so a retried request is answered
 * with the same reservation. Unconfirmed reservations expire and return their stock.
 */
public record ReserveStockRequest(UUID orderId, List<Item> items) {
    /** One product and the quantity to hold. */
    public record Item(UUID productId, int quantity) {
    }
}
