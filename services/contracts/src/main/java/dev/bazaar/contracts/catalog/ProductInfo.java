package dev.bazaar.contracts.catalog;

import dev.bazaar.contracts.Money;

import java.util.UUID;

/** A product as other services see it. */
public record ProductInfo(UUID id, String sku, String name, Money price, int stock) {
}
