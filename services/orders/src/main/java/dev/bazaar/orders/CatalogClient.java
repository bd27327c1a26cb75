package dev.bazaar.orders;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Catalog, as orders sees it. */
public interface CatalogClient {
    /**
     * The products among {@code ids} that exist.
     *
     * @throws dev.bazaar.kit.Failure {@code UNAVAILABLE} when catalog is not running, {@code TIMEOUT} when it is too slow
     */
    List<CatalogProduct> products(Collection<UUID> ids);
}
