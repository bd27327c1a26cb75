package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** Catalog's use cases. */
public final class CatalogService {
    /** At most this many ids in one lookup and products in one page. */
    public static final int MAX_BATCH = 100;
    private final ProductRepository products;
    private final Supplier<UUID> ids;

    public CatalogService(ProductRepository products, Supplier<UUID> ids) {
        this.products = products;
        this.ids = ids;
    }

    /** Up to {@code limit} products ordered by SKU, after {@code afterSku} (the previous page's last) when given. */
    public List<Product> list(String afterSku, int limit) {
        return products.list(afterSku, limit);
    }

    public Product get(UUID id) {
        return products.find(id).orElseThrow(() -> Failure.notFound("no product " + id));
    }

    /** Looks up 1..100 distinct ids; the lookup reports which exist, it does not fail on missing ones. */
    public Lookup lookup(List<UUID> requested) {
        if (requested == null || requested.isEmpty() || requested.size() > MAX_BATCH) {
            throw Failure.invalid("ids must hold 1.." + MAX_BATCH + " product ids");
        }
        if (requested.contains(null)) {
            throw Failure.invalid("ids must not contain null");
        }
        Set<UUID> wanted = new LinkedHashSet<>(requested);
        List<Product> found = products.findAll(wanted);
        found.forEach(product -> wanted.remove(product.id()));
        return new Lookup(found, List.copyOf(wanted));
    }

    public Product create(NewProduct product) {
        return products.create(ids.get(), product);
    }

    /** The result of a lookup by ids. */
    public record Lookup(List<Product> found, List<UUID> missing) {
    }
}
