package dev.bazaar.catalog;

import dev.bazaar.contracts.Failure;
import dev.bazaar.contracts.Money;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link ReservationRepository} guarantees over its products' stock; run against the fake and PostgreSQL. */
abstract class ReservationRepositoryContract {
    static final Instant LATER = Instant.now().plus(15, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MICROS);

    abstract ProductRepository products();

    abstract ReservationRepository reservations();

    @Test
    void holdsEveryItemOrNothing() {
        Product mug = product(5);
        Product tee = product(1);
        UUID order = UUID.randomUUID();

        Reservation held = reserve(order, LATER, item(mug, 2), item(tee, 1));

        assertThat(held.reserved()).isTrue();
        assertThat(held.expiresAt()).isEqualTo(LATER);
        assertThat(stock(mug)).isEqualTo(3);
        assertThat(stock(tee)).isZero();

        Reservation refused = reserve(UUID.randomUUID(), LATER, item(mug, 1), item(tee, 1));
        assertThat(refused.reserved()).isFalse();
        assertThat(refused.insufficient()).containsExactly(tee.id());
        assertThat(stock(mug)).as("nothing held when one item is short").isEqualTo(3);
    }

    @Test
    void aRefusedReservationLeavesNoTraceOfTheOrder() {
        Product mug = product(1);
        UUID order = UUID.randomUUID();

        assertThat(reserve(order, LATER, item(mug, 2)).reserved()).isFalse();

        assertThat(reservations().commit(order).committed()).as("nothing to commit").isFalse();
        assertThat(reserve(order, LATER, item(mug, 1)).reserved()).as("the same order may try again").isTrue();
    }

    @Test
    void aSecondReservationForTheOrderAnswersWithTheFirstAndHoldsNothingMore() {
        Product mug = product(5);
        UUID order = UUID.randomUUID();
        reserve(order, LATER, item(mug, 2));

        Reservation again = reserve(order, LATER.plusSeconds(60), item(mug, 3));

        assertThat(again.reserved()).isTrue();
        assertThat(again.expiresAt()).isEqualTo(LATER);
        assertThat(again.products()).extracting(Product::id).containsExactly(mug.id());
        assertThat(stock(mug)).isEqualTo(3);
    }

    @Test
    void aReleaseGivesTheStockBackOnce() {
        Product mug = product(5);
        UUID order = UUID.randomUUID();
        reserve(order, LATER, item(mug, 2));

        assertThat(reservations().release(order, "cancelled")).isTrue();
        assertThat(reservations().release(order, "cancelled")).isFalse();

        assertThat(stock(mug)).isEqualTo(5);
        assertThatThrownBy(() -> reserve(order, LATER, item(mug, 1))).as("a released order reserves no more")
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.CONFLICT));
    }

    @Test
    void aReleaseBeforeTheReservationRefusesTheLateReservation() {
        Product mug = product(5);
        UUID order = UUID.randomUUID();

        assertThat(reservations().release(order, "gave up")).isFalse();

        assertThatThrownBy(() -> reserve(order, LATER, item(mug, 1)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.CONFLICT));
        assertThat(stock(mug)).isEqualTo(5);
    }

    @Test
    void aCommitKeepsAHoldForGoodAndIsIdempotent() {
        Product mug = product(5);
        UUID order = UUID.randomUUID();
        reserve(order, LATER, item(mug, 2));

        assertThat(reservations().commit(order)).isEqualTo(new Commitment(true, false, null));
        assertThat(reservations().commit(order)).isEqualTo(new Commitment(true, false, null));

        reservations().expire(LATER.plusSeconds(1), 1000);
        assertThat(stock(mug)).as("a committed hold never lapses").isEqualTo(3);
        assertThat(reservations().commit(order).retaken()).isFalse();
    }

    @Test
    void aCommitRefusesAnOrderNeverReservedOrReleased() {
        Product mug = product(5);
        UUID cancelled = UUID.randomUUID();
        reserve(cancelled, LATER, item(mug, 2));
        reservations().release(cancelled, "cancelled");

        assertThat(reservations().commit(UUID.randomUUID()).committed()).isFalse();
        Commitment refused = reservations().commit(cancelled);
        assertThat(refused.committed()).isFalse();
        assertThat(refused.reason()).contains("cancelled");
        assertThat(stock(mug)).isEqualTo(5);
    }

    @Test
    void aLapsedHoldIsReleasedAndACommitTakesItsStockAgainWhileItIsThere() {
        Product mug = product(5);
        Product tee = product(1);
        UUID order = UUID.randomUUID();
        UUID sold = UUID.randomUUID();
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        reserve(order, past, item(mug, 2));
        reserve(sold, past, item(tee, 1));

        assertThat(reservations().expire(Instant.now(), 100)).isGreaterThanOrEqualTo(2);
        assertThat(stock(mug)).isEqualTo(5);
        assertThat(stock(tee)).isEqualTo(1);

        assertThat(reservations().commit(order)).isEqualTo(new Commitment(true, true, null));
        assertThat(stock(mug)).isEqualTo(3);

        reserve(UUID.randomUUID(), LATER, item(tee, 1));
        Commitment gone = reservations().commit(sold);
        assertThat(gone.committed()).isFalse();
        assertThat(gone.reason()).contains(tee.id().toString());
    }

    @Test
    void aLapsedHoldWhoseOrderWasCancelledIsNeverTakenAgain() {
        Product mug = product(5);
        UUID order = UUID.randomUUID();
        reserve(order, Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS), item(mug, 2));
        reservations().expire(Instant.now(), 1000);
        assertThat(stock(mug)).isEqualTo(5);

        // order-cancelled first, then (late, as after a JetStream data loss) order-placed: catalog commits.
        assertThat(reservations().release(order, "payment declined: card declined")).isFalse();
        Commitment refused = reservations().commit(order);

        assertThat(refused.committed()).isFalse();
        assertThat(refused.reason()).contains("payment declined");
        assertThat(stock(mug)).isEqualTo(5);
    }

    @Test
    void expiresAtMostTheLimitAtATime() {
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        reservations().expire(Instant.now(), 1000);
        Product mug = product(5);
        for (int i = 0; i < 3; i++) {
            reserve(UUID.randomUUID(), past, item(mug, 1));
        }

        assertThat(reservations().expire(Instant.now(), 2)).isEqualTo(2);
        assertThat(reservations().expire(Instant.now(), 2)).isEqualTo(1);
        assertThat(stock(mug)).isEqualTo(5);
    }

    Reservation reserve(UUID order, Instant expiresAt, StockItem... items) {
        List<StockItem> lines = List.of(items);
        return reservations().reserve(order, lines, expiresAt,
                products -> Reservation.decide(order, lines, products, expiresAt));
    }

    Product product(int stock) {
        return products().create(UUID.randomUUID(), new NewProduct(ProductRepositoryContract.sku("STOCK"), "Stocked",
                new Money(100, "EUR"), stock));
    }

    int stock(Product product) {
        return products().find(product.id()).orElseThrow().stock();
    }

    static StockItem item(Product product, int quantity) {
        return new StockItem(product.id(), quantity);
    }
}
