package dev.bazaar.orders;

import dev.bazaar.contracts.Money;

import java.util.UUID;

/** One product in an order, with the price it had when the order was placed. */
public record OrderLine(UUID productId, String sku, String name, int quantity, Money unitPrice, Money lineTotal) {
}
