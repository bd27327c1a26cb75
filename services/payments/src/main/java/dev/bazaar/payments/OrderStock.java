package dev.bazaar.payments;

import java.util.UUID;

/** Catalog's side of a payment: the order's stock must be the order's for good before the customer is charged. */
public interface OrderStock {
    /**
     * Commits the order's stock to it (idempotent); a refusal means the order holds no stock and must not be paid.
     *
     * @throws dev.bazaar.contracts.Failure {@code UNAVAILABLE} or {@code TIMEOUT} when catalog cannot say (retry)
     */
    Commit commit(UUID orderId);

    /** Catalog's answer; {@code reason} says why not. */
    record Commit(boolean committed, String reason) {
    }
}
