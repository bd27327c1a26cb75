package dev.bazaar.orders;

import dev.bazaar.contracts.Money;

import java.util.UUID;

/** What orders needs to know of a product: its name and current price. */
public record CatalogProduct(UUID id, String sku, String name, Money price) {
}
