package dev.bazaar.contracts.catalog;

import java.util.UUID;

/** Returns an order's reserved stock at once (idempotent: releasing twice, or an unknown order, changes nothing). */
public record ReleaseStockRequest(UUID orderId, String reason) {
}
