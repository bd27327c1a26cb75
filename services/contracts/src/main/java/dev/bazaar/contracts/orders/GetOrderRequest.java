package dev.bazaar.contracts.orders;

import java.util.UUID;

/** Asks for one order by id. */
public record GetOrderRequest(UUID orderId) {
}
