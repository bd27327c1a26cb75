package dev.bazaar.catalog.http;

import java.util.List;

/** The body of {@code GET /products}. */
public record ProductPage(List<ProductBody> products, int limit, int offset) {
}
