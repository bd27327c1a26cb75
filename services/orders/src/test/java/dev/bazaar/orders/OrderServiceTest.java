package dev.bazaar.orders;

import dev.bazaar.contracts.Money;
import dev.bazaar.kit.Failure;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderServiceTest {
    static final UUID MUG = UUID.randomUUID();
    static final UUID TEE = UUID.randomUUID();
    static final UUID LAMP = UUID.randomUUID();
    static final Map<UUID, CatalogProduct> CATALOG = Map.of(
            MUG, new CatalogProduct(MUG, "MUG", "Mug", new Money(1250, "EUR")),
            TEE, new CatalogProduct(TEE, "TEE", "Tee", new Money(2400, "EUR")),
            LAMP, new CatalogProduct(LAMP, "LAMP", "Lamp", new Money(3500, "USD")));
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    final InMemoryOrderRepository repository = new InMemoryOrderRepository();
    final OrderService service = new OrderService(repository,
            ids -> ids.stream().filter(CATALOG::containsKey).map(CATALOG::get).toList(),
            new OrderLimits(100, 1000), Clock.fixed(NOW, ZoneOffset.UTC), UUID::randomUUID);

    @Test
    void placesAnOrderPricedByCatalog() {
        Order order = service.place(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 2), new PlaceOrder.Item(TEE, 1))), null);

        assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.total()).isEqualTo(new Money(2 * 1250 + 2400, "EUR"));
        assertThat(order.lines()).extracting(OrderLine::lineTotal)
                .containsExactly(new Money(2500, "EUR"), new Money(2400, "EUR"));
        assertThat(order.history()).singleElement().satisfies(h -> {
            assertThat(h.status()).isEqualTo(OrderStatus.PLACED);
            assertThat(h.at()).isEqualTo(NOW);
        });
        assertThat(repository.find(order.id())).contains(order);
    }

    @Test
    void refusesBadOrdersWithoutStoringAnything() {
        assertInvalid(new PlaceOrder(List.of()), "at least one");
        assertInvalid(new PlaceOrder(null), "at least one");
        assertInvalid(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 0))), "quantity must be 1..1000");
        assertInvalid(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 1001))), "quantity must be 1..1000");
        assertInvalid(new PlaceOrder(List.of(new PlaceOrder.Item(null, 1))), "productId is required");
        assertInvalid(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 1), new PlaceOrder.Item(MUG, 2))), "twice");
        assertInvalid(new PlaceOrder(List.of(new PlaceOrder.Item(UUID.randomUUID(), 1))), "unknown product");
        assertInvalid(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 1), new PlaceOrder.Item(LAMP, 1))), "one currency");
        assertInvalid(new PlaceOrder(IntStream.range(0, 101).mapToObj(i -> new PlaceOrder.Item(UUID.randomUUID(), 1))
                .toList()), "at most 100 lines");
        assertThat(repository.orders).isEmpty();
    }

    @Test
    void catalogFailuresPassThroughAndStoreNothing() {
        OrderService down = new OrderService(repository, ids -> {
            throw Failure.unavailable("catalog is not available");
        }, new OrderLimits(100, 1000), Clock.systemUTC(), UUID::randomUUID);

        assertThatThrownBy(() -> down.place(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 1))), null))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
        assertThat(repository.orders).isEmpty();
    }

    @Test
    void anUnknownOrderIsNotFound() {
        assertThatThrownBy(() -> service.get(UUID.randomUUID()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
    }

    private void assertInvalid(PlaceOrder request, String message) {
        assertThatThrownBy(() -> service.place(request, null))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageContaining(message);
    }

    /** A hand-written fake of the repository port. */
    static final class InMemoryOrderRepository implements OrderRepository {
        final Map<UUID, Order> orders = new ConcurrentHashMap<>();

        @Override
        public void insert(Order order) {
            orders.put(order.id(), order);
        }

        @Override
        public Optional<Order> find(UUID id) {
            return Optional.ofNullable(orders.get(id));
        }
    }
}
