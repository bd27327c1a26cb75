package dev.bazaar.catalog;

import org.junit.jupiter.api.Nested;

/** The repository contracts against the fakes. */
class InMemoryCatalogRepositoriesTest {
    final InMemoryProductRepository products = new InMemoryProductRepository();

    @Nested
    class Products extends ProductRepositoryContract {
        @Override
        ProductRepository products() {
            return products;
        }
    }

    @Nested
    class Reservations extends ReservationRepositoryContract {
        final InMemoryReservationRepository reservations = new InMemoryReservationRepository(products);

        @Override
        ProductRepository products() {
            return products;
        }

        @Override
        ReservationRepository reservations() {
            return reservations;
        }
    }
}
