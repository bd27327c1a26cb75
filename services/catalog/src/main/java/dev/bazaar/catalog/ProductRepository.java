package dev.bazaar.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where products are kept. */
public interface ProductRepository {
    /** Products ordered by SKU, a page at a time. */
    List<Product> list(int limit, int offset);

    Optional<Product> find(UUID id);

    /** The products among {@code ids} that exist, in any order. */
    List<Product> findAll(Collection<UUID> ids);

    /** Stores a new product; a SKU that already exists is a conflict. */
    Product create(UUID id, NewProduct product);
}
