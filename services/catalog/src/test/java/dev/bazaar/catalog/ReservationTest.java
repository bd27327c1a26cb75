package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.orders.OrderLimits;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The all-or-nothing stock decision (domain code: the repository only loads and stores), and its limits. */
class ReservationTest {
    static final Instant LAPSES = Instant.parse("2026-12-03T12:00:00Z");
    final Product mug = new Product(UUID.randomUUID(), "MUG", "Mug", new Money(1250, "EUR"), 5);
    final Product tee = new Product(UUID.randomUUID(), "TEE", "Tee", new Money(2400, "EUR"), 1);

    @Test
    void holdsEveryItemWhenAllAreThere() {
        Reservation r = Reservation.decide(UUID.randomUUID(), List.of(new StockItem(mug.id(), 2),
                new StockItem(tee.id(), 1)), Map.of(mug.id(), mug, tee.id(), tee), LAPSES);
        assertThat(r.reserved()).isTrue();
        assertThat(r.products()).extracting(Product::stock).containsExactly(3, 0);
        assertThat(r.expiresAt()).isEqualTo(LAPSES);
    }

    @Test
    void holdsNothingWhenOneItemIsShortOrMissing() {
        UUID ghost = UUID.randomUUID();
        Reservation r = Reservation.decide(UUID.randomUUID(), List.of(new StockItem(mug.id(), 2),
                new StockItem(tee.id(), 2), new StockItem(ghost, 1)), Map.of(mug.id(), mug, tee.id(), tee), LAPSES);
        assertThat(r.reserved()).isFalse();
        assertThat(r.products()).isEmpty();
        assertThat(r.insufficient()).containsExactly(tee.id());
        assertThat(r.missing()).containsExactly(ghost);
    }

    @Test
    void aReservationIsAsLargeAsTheSharedOrderLimitsAllow() {
        List<StockItem> many = IntStream.range(0, 150).mapToObj(i -> new StockItem(UUID.randomUUID(), 1)).toList();
        Function<OrderLimits, StockService> stock = limits -> new StockService(
                new InMemoryReservationRepository(new InMemoryProductRepository()), limits,
                Clock.systemUTC(), Duration.ofMinutes(15));

        assertThatThrownBy(() -> stock.apply(new OrderLimits(100, 1000)).reserve(UUID.randomUUID(), many))
                .isInstanceOf(Failure.class).hasMessageContaining("1..100");
        assertThat(stock.apply(new OrderLimits(200, 1000)).reserve(UUID.randomUUID(), many).missing())
                .as("raised for orders, raised for catalog: the decision is reached").hasSize(150);
    }
}
