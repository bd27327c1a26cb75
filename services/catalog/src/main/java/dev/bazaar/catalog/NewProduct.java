package dev.bazaar.catalog;

import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.Failure;

import java.util.regex.Pattern;

/** A product to create, validated on construction: nothing invalid reaches the repository. */
public record NewProduct(String sku, String name, Money price, int stock) {
    static final int MAX_STOCK = 1_000_000;
    static final long MAX_PRICE = 100_000_000L;
    private static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,39}");

    public NewProduct {
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw Failure.invalid("sku must be 1-40 characters of A-Z, 0-9 and '-'");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw Failure.invalid("name must be 1-200 characters");
        }
        if (price == null || price.amount() < 0 || price.amount() > MAX_PRICE) {
            throw Failure.invalid("price.amount must be 0.." + MAX_PRICE + " minor units");
        }
        if (!Money.isCurrencyCode(price.currency())) {
            throw Failure.invalid("price.currency must be an ISO 4217 code such as EUR");
        }
        if (stock < 0 || stock > MAX_STOCK) {
            throw Failure.invalid("stock must be 0.." + MAX_STOCK);
        }
        name = name.strip();
    }
}
