package dev.bazaar.contracts.catalog;

import java.util.UUID;

/** {@code released} is true when this request returned stock, false when there was nothing (left) to release. */
public record ReleaseStockReply(UUID orderId, boolean released) {
}
