package dev.bazaar.orders.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The body of {@code GET /orders}: newest first; {@code next} (absent on the last page) is the next page's cursor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderPage(List<OrderBody> orders, String next) {
}
