package dev.bazaar.catalog.http;

import dev.bazaar.catalog.Product;
import dev.bazaar.contracts.Money;

import java.util.UUID;

/** A product on the wire. */
public record ProductBody(UUID id, String sku, String name, Money price, int stock) {
    static ProductBody of(Product product) {
        return new ProductBody(product.id(), product.sku(), product.name(), product.price(), product.stock());
    }
}
