package dev.bazaar.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The body of {@code GET /products}: by SKU; {@code next} (absent on the last page) is the next page's cursor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductPage(List<ProductBody> products, String next) {
}
