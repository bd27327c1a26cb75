package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Products in a map, for unit tests; {@link InMemoryReservationRepository} holds their stock. */
final class InMemoryProductRepository implements ProductRepository {
    final Map<UUID, Product> products = new ConcurrentHashMap<>();

    @Override
    public List<Product> list(String afterSku, int limit) {
        return products.values().stream()
                .filter(p -> afterSku == null || p.sku().compareTo(afterSku) > 0)
                .sorted(Comparator.comparing(Product::sku))
                .limit(limit)
                .toList();
    }

    @Override
    public Optional<Product> find(UUID id) {
        return Optional.ofNullable(products.get(id));
    }

    @Override
    public List<Product> findAll(Collection<UUID> ids) {
        return ids.stream().distinct().map(products::get).filter(p -> p != null).toList();
    }

    @Override
    public synchronized Product create(UUID id, NewProduct product) {
        if (products.values().stream().anyMatch(p -> p.sku().equals(product.sku()))) {
            throw Failure.conflict("a product with sku " + product.sku() + " already exists");
        }
        Product created = new Product(id, product.sku(), product.name(), product.price(), product.stock());
        products.put(id, created);
        return created;
    }

    /** Moves {@code quantity} units of the product's stock (negative: takes them). */
    void addStock(UUID id, int quantity) {
        products.computeIfPresent(id, (key, p) -> new Product(p.id(), p.sku(), p.name(), p.price(), p.stock() + quantity));
    }
}
