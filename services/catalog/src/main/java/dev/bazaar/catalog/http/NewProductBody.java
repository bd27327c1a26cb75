package dev.bazaar.catalog.http;

import dev.bazaar.catalog.NewProduct;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.Failure;

/** The body of {@code POST /products}. */
public record NewProductBody(String sku, String name, Money price, Integer stock) {
    NewProduct toProduct() {
        if (stock == null) {
            throw Failure.invalid("stock is required");
        }
        return new NewProduct(sku, name, price, stock);
    }
}
