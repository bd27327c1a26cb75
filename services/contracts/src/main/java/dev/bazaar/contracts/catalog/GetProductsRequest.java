package dev.bazaar.contracts.catalog;

import java.util.List;
import java.util.UUID;

/** Asks for one or many products by id (1..100 ids). */
public record GetProductsRequest(List<UUID> ids) {
}
