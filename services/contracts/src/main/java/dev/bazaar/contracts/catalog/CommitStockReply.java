package dev.bazaar.contracts.catalog;

import java.util.UUID;

/**
 * {@code committed} is true when the order's stock is held for it and no longer expires (its hold was live, or it
 * had lapsed and the same stock could be taken again); false when the order holds nothing and its stock could not be
 * taken again (released, cancelled, or sold out since): the order must not be paid. {@code reason} says why not.
 */
public record CommitStockReply(UUID orderId, boolean committed, String reason) {
}
