package dev.bazaar.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where products are kept. */
public interface ProductRepository {
    /** Up to {@code limit} products ordered by SKU, after {@code afterSku} when it is not null. */
    List<Product> list(String afterSku, int limit);

    Optional<Product> find(UUID id);

    /** The products among {@code ids} that exist, in any order. */
    List<Product> findAll(Collection<UUID> ids);

    /** Stores a new product; a SKU that already exists is a conflict. */
    Product create(UUID id, NewProduct product);
}
