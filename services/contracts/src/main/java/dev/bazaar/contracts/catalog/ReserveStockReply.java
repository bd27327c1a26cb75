package dev.bazaar.contracts.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The outcome of a reservation. {@code reserved} is true when every item is held (then {@code products} carries
 * their current prices and {@code expiresAt} when the hold lapses unless an order confirms it); otherwise nothing
 * is held and {@code missing} / {@code insufficient} name the products that stopped it.
 */
public record ReserveStockReply(UUID orderId, boolean reserved, List<ProductInfo> products, List<UUID> missing,
                                List<UUID> insufficient, Instant expiresAt) {
}
