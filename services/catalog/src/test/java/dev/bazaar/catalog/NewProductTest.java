package dev.bazaar.catalog;

import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.Failure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewProductTest {
    private static final Money EUR = new Money(1999, "EUR");

    @Test
    void acceptsAValidProductAndTrimsItsName() {
        assertThat(new NewProduct("MUG-1", "  Mug ", EUR, 3).name()).isEqualTo("Mug");
    }

    @Test
    void refusesEachInvalidField() {
        assertInvalid(() -> new NewProduct("mug lower", "Mug", EUR, 1), "sku");
        assertInvalid(() -> new NewProduct("MUG", " ", EUR, 1), "name");
        assertInvalid(() -> new NewProduct("MUG", "Mug", new Money(-1, "EUR"), 1), "price.amount");
        assertInvalid(() -> new NewProduct("MUG", "Mug", new Money(1, "EURO"), 1), "price.currency");
        assertInvalid(() -> new NewProduct("MUG", "Mug", new Money(1, "XYZ"), 1), "price.currency");
        assertInvalid(() -> new NewProduct("MUG", "Mug", null, 1), "price");
        assertInvalid(() -> new NewProduct("MUG", "Mug", EUR, -1), "stock");
        assertInvalid(() -> new NewProduct("MUG", "Mug", EUR, NewProduct.MAX_STOCK + 1), "stock");
    }

    private static void assertInvalid(Runnable create, String field) {
        assertThatThrownBy(create::run)
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageContaining(field);
    }
}
