package dev.bazaar.catalog;

import dev.bazaar.contracts.Money;

import java.util.UUID;

/** A product for sale: a unique SKU, a price in minor units, and the units in stock. */
public record Product(UUID id, String sku, String name, Money price, int stock) {
}
