package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;
import dev.bazaar.contracts.Money;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link ProductRepository} guarantees; run against the fake and against PostgreSQL (seeded or not). */
abstract class ProductRepositoryContract {
    abstract ProductRepository products();

    @Test
    void storesAProductAndFindsItById() {
        Product created = create(sku("MUG"), 5);

        assertThat(products().find(created.id())).contains(created);
        assertThat(products().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aSecondProductWithTheSameSkuIsAConflict() {
        Product first = create(sku("TEE"), 1);

        assertThatThrownBy(() -> products().create(UUID.randomUUID(), new NewProduct(first.sku(), "Twin",
                new Money(1, "EUR"), 1)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.CONFLICT));
        assertThat(products().find(first.id())).contains(first);
    }

    @Test
    void findsTheProductsThatExistAmongIds() {
        Product a = create(sku("A"), 1);
        Product b = create(sku("B"), 2);

        assertThat(products().findAll(List.of(a.id(), UUID.randomUUID(), b.id()))).containsExactlyInAnyOrder(a, b);
        assertThat(products().findAll(List.of())).isEmpty();
    }

    @Test
    void listsBySkuAfterTheCursor() {
        String prefix = sku("PAGE");
        Product a = create(prefix + "-A", 1);
        Product b = create(prefix + "-B", 1);
        Product c = create(prefix + "-C", 1);

        assertThat(products().list(a.sku(), 2)).containsExactly(b, c);
        assertThat(products().list(b.sku(), 1)).containsExactly(c);
        assertThat(products().list(null, 1000)).contains(a, b, c);
    }

    Product create(String sku, int stock) {
        return products().create(UUID.randomUUID(), new NewProduct(sku, "Product " + sku, new Money(1250, "EUR"), stock));
    }

    /** A SKU no other test uses. */
    static String sku(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }
}
