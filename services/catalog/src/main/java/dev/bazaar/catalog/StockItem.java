package dev.bazaar.catalog;

import java.util.UUID;

/** A quantity of one product, to hold or give back. */
public record StockItem(UUID productId, int quantity) {
}
