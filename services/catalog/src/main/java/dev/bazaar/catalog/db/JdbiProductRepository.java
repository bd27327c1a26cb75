package dev.bazaar.catalog.db;

import dev.bazaar.catalog.NewProduct;
import dev.bazaar.catalog.Product;
import dev.bazaar.catalog.ProductRepository;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.Failure;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Products in catalog's PostgreSQL database. */
public final class JdbiProductRepository implements ProductRepository {
    static final String COLUMNS = "id, sku, name, price_amount, currency, stock";
    static final RowMapper<Product> PRODUCT = (rs, ctx) -> new Product(
            rs.getObject("id", UUID.class),
            rs.getString("sku"),
            rs.getString("name"),
            new Money(rs.getLong("price_amount"), rs.getString("currency")),
            rs.getInt("stock"));

    private final Jdbi jdbi;

    public JdbiProductRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<Product> list(String afterSku, int limit) {
        // keyset pagination on the unique index of sku (V1__products.sql)
        String after = afterSku == null ? "" : " WHERE sku > :after";
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM products" + after
                        + " ORDER BY sku LIMIT :limit")
                .bind("after", afterSku)
                .bind("limit", limit)
                .map(PRODUCT)
                .list());
    }

    @Override
    public Optional<Product> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM products WHERE id = :id")
                .bind("id", id)
                .map(PRODUCT)
                .findOne());
    }

    @Override
    public List<Product> findAll(Collection<UUID> ids) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM products WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(PRODUCT)
                .list());
    }

    @Override
    public Product create(UUID id, NewProduct product) {
        int inserted = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO products (id, sku, name, price_amount, currency, stock)
                        VALUES (:id, :sku, :name, :amount, :currency, :stock)
                        ON CONFLICT (sku) DO NOTHING
                        """)
                .bind("id", id)
                .bind("sku", product.sku())
                .bind("name", product.name())
                .bind("amount", product.price().amount())
                .bind("currency", product.price().currency())
                .bind("stock", product.stock())
                .execute());
        if (inserted == 0) {
            throw Failure.conflict("a product with sku " + product.sku() + " already exists");
        }
        return new Product(id, product.sku(), product.name(), product.price(), product.stock());
    }
}
