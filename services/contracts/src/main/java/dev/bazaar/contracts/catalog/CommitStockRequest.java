package dev.bazaar.contracts.catalog;

import java.util.UUID;

/**
 * Makes an order's reserved stock its own for good, before the customer is charged (payments asks, service to
 * service). Idempotent: committing twice answers the same.
 */
public record CommitStockRequest(UUID orderId) {
}
