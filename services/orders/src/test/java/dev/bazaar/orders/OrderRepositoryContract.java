package dev.bazaar.orders;

import dev.bazaar.orders.nats.PaymentEventsListener;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link OrderRepository} guarantees; run against the fake and against PostgreSQL. */
abstract class OrderRepositoryContract {
    abstract OrderRepository repository();

    /** How many events the repository has queued for publication so far. */
    abstract long queuedEvents();

    @Test
    void storesAnOrderWithItsLinesHistoryAndEvent() {
        long before = queuedEvents();
        Order order = placed();

        repository().insert(order, null, List.of(event()));

        assertThat(repository().find(order.id())).contains(order);
        assertThat(queuedEvents()).isEqualTo(before + 1);
    }

    @Test
    void aSecondOrderUnderTheSameKeyIsRefusedAndTheFirstIsFoundByIt() {
        Order first = placed();
        IdempotencyKey key = new IdempotencyKey("k-" + UUID.randomUUID(), "fingerprint-1");
        repository().insert(first, key, List.of());

        Order second = new Order(UUID.randomUUID(), first.customerId(), OrderStatus.PLACED, first.total(),
                first.lines(), first.placedAt(), first.history());
        assertThatThrownBy(() -> repository().insert(second, key, List.of()))
                .isInstanceOf(OrderRepository.KeyTaken.class);

        assertThat(repository().find(second.id())).isEmpty();
        assertThat(repository().findByKey(first.customerId(), key.value()))
                .contains(new OrderRepository.KeyedOrder(first, "fingerprint-1"));
        assertThat(repository().findByKey("someone-else", key.value())).isEmpty();
    }

    @Test
    void anUpdateStoresWhatTheChangeDecidedWithItsEvents() {
        Order order = placed();
        repository().insert(order, null, List.of());
        long before = queuedEvents();
        Order confirmed = order.moveTo(OrderStatus.CONFIRMED, "payment authorized", now()).orElseThrow();

        Optional<Order> stored = repository().update(order.id(), source(),
                current -> Optional.of(new OrderChange(confirmed, List.of(event()))));

        assertThat(stored).contains(confirmed);
        assertThat(repository().find(order.id())).contains(confirmed);
        assertThat(queuedEvents()).isEqualTo(before + 1);
    }

    @Test
    void aRepeatedSourceEventChangesNothingAndIsNotAskedAgain() {
        Order order = placed();
        repository().insert(order, null, List.of());
        SourceEvent source = source();
        repository().update(order.id(), source, current -> Optional.empty());

        Optional<Order> again = repository().update(order.id(), source, current -> {
            throw new AssertionError("a repeat must not reach the change");
        });

        assertThat(again).isEmpty();
        assertThat(repository().find(order.id())).contains(order);
    }

    @Test
    void aChangeThatDecidesNothingWritesNothing() {
        Order order = placed();
        repository().insert(order, null, List.of());
        long before = queuedEvents();

        assertThat(repository().update(order.id(), source(), current -> Optional.empty())).isEmpty();

        assertThat(repository().find(order.id())).contains(order);
        assertThat(queuedEvents()).isEqualTo(before);
    }

    @Test
    void anUnknownOrderIsAbsentAndAnUpdateOfItChangesNothing() {
        UUID unknown = UUID.randomUUID();
        assertThat(repository().find(unknown)).isEmpty();
        assertThat(repository().update(unknown, source(), current -> {
            throw new AssertionError("nothing to change");
        })).isEmpty();
    }

    @Test
    void keepsEveryLineAndHistoryEntryInOrderAndListsWholeOrdersNewestFirst() {
        String customer = "customer-" + UUID.randomUUID();
        Instant at = now();
        Order older = withLines(customer, at.minusSeconds(2), 3);
        Order newer = withLines(customer, at.minusSeconds(1), 1);
        repository().insert(older, null, List.of(event(), event()));
        repository().insert(newer, null, List.of());
        Order cancelled = older.moveTo(OrderStatus.CANCELLED, "payment declined: \"no\" — ünïcode", at).orElseThrow();
        repository().update(older.id(), source(), current -> Optional.of(new OrderChange(cancelled, List.of())));

        assertThat(repository().find(older.id())).contains(cancelled);
        assertThat(repository().list(customer, null, null, 10)).containsExactly(newer, cancelled);
        assertThat(repository().list(customer, newer.placedAt(), newer.id(), 10)).containsExactly(cancelled);
        assertThat(repository().list(customer, null, null, 1)).containsExactly(newer);
    }

    @Test
    void aChangeStoredMeanwhileIsDecidedAgainOnWhatWasStored() {
        Order order = placed();
        repository().insert(order, null, List.of());
        Order cancelled = order.moveTo(OrderStatus.CANCELLED, "saga deadline", now()).orElseThrow();
        List<OrderStatus> seen = new java.util.ArrayList<>();

        Optional<Order> stored = repository().update(order.id(), source(), current -> {
            seen.add(current.status());
            if (seen.size() == 1) {
                // Another event for the same order is applied while this one decides (its own transaction).
                repository().update(order.id(), source(), other -> Optional.of(new OrderChange(cancelled, List.of())));
            }
            return current.moveTo(OrderStatus.CONFIRMED, "payment authorized", now())
                    .map(confirmed -> new OrderChange(confirmed, List.of(event())));
        });

        assertThat(stored).isEmpty();
        assertThat(seen).containsExactly(OrderStatus.PLACED, OrderStatus.CANCELLED);
        assertThat(repository().find(order.id())).contains(cancelled);
    }

    static Order withLines(String customer, Instant at, int lines) {
        List<OrderLine> all = new java.util.ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            all.add(new OrderLine(UUID.randomUUID(), "SKU-" + i, "Product " + i + " \"quoted\"", i,
                    new Money(100L * i, "EUR"), new Money(100L * i * i, "EUR")));
        }
        long total = all.stream().mapToLong(line -> line.lineTotal().amount()).sum();
        return new Order(UUID.randomUUID(), customer, OrderStatus.PLACED, new Money(total, "EUR"), all, at,
                List.of(new StatusChange(OrderStatus.PLACED, "placed", at)));
    }

    static Order placed() {
        Instant now = now();
        UUID product = UUID.randomUUID();
        return new Order(UUID.randomUUID(), "customer-" + UUID.randomUUID(), OrderStatus.PLACED,
                new Money(2500, "EUR"), List.of(new OrderLine(product, "MUG", "Mug", 2, new Money(1250, "EUR"),
                new Money(2500, "EUR"))), now, List.of(new StatusChange(OrderStatus.PLACED, "placed", now)));
    }

    static OutgoingEvent event() {
        UUID id = UUID.randomUUID();
        return new OutgoingEvent("orders.events.order-test", id, new Money(1, "EUR"));
    }

    static SourceEvent source() {
        return new SourceEvent(PaymentEventsListener.DURABLE, UUID.randomUUID().toString());
    }

    /** Now, at the database's precision. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
