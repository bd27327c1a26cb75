package dev.bazaar.orders;

/** What {@code POST /orders} did: placed {@code order} now ({@code created}), or found it from an earlier try. */
public record Placement(Order order, boolean created) {
}
