package dev.bazaar.contracts.catalog;

import java.util.List;
import java.util.UUID;

/** The products found, and the requested ids that do not exist. */
public record GetProductsReply(List<ProductInfo> products, List<UUID> missing) {
}
