package dev.bazaar.orders;

import dev.bazaar.orders.nats.PaymentEventsListener;
import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.orders.PaymentTokenSeal;
import dev.bazaar.contracts.Failure;
import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.orders.OrderLimits;
import dev.bazaar.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderServiceTest {
    static final Customer CUSTOMER = new Customer("customer-1", "opaque-token");
    static final UUID MUG = UUID.randomUUID();
    static final UUID TEE = UUID.randomUUID();
    static final UUID LAMP = UUID.randomUUID();
    static final UUID LAST_ONE = UUID.randomUUID();
    static final Map<UUID, CatalogProduct> CATALOG = Map.of(
            MUG, new CatalogProduct(MUG, "MUG", "Mug", new Money(1250, "EUR")),
            TEE, new CatalogProduct(TEE, "TEE", "Tee", new Money(2400, "EUR")),
            LAMP, new CatalogProduct(LAMP, "LAMP", "Lamp", new Money(3500, "USD")),
            LAST_ONE, new CatalogProduct(LAST_ONE, "LAST", "Sold out", new Money(100, "EUR")));
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    final InMemoryOrderRepository repository = new InMemoryOrderRepository();
    final InMemoryCatalog catalog = new InMemoryCatalog();
    final OrderService service = new OrderService(repository, catalog, new OrderLimits(100, 1000),
            Clock.fixed(NOW, ZoneOffset.UTC), UUID::randomUUID, new PaymentTokenSeal(KEY));

    @Test
    void aCustomerSeesOnlyTheirOwnOrders() {
        Order order = service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER);

        assertThat(service.getOwn(order.id(), CUSTOMER.id())).isEqualTo(order);
        assertThat(service.get(order.id())).isEqualTo(order);
        assertThatThrownBy(() -> service.getOwn(order.id(), "someone-else"))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
    }

    @Test
    void placesAnOrderPricedByCatalogWithItsEvent() {
        Order order = service.place(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 2), new PlaceOrder.Item(TEE, 1)),
                "tok_visa"), CUSTOMER);

        assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.customerId()).isEqualTo(CUSTOMER.id());
        assertThat(catalog.onBehalfOf).containsExactly(CUSTOMER);
        assertThat(order.total()).isEqualTo(new Money(2 * 1250 + 2400, "EUR"));
        assertThat(order.lines()).extracting(OrderLine::lineTotal)
                .containsExactly(new Money(2500, "EUR"), new Money(2400, "EUR"));
        assertThat(order.history()).singleElement().satisfies(h -> assertThat(h.at()).isEqualTo(NOW));
        assertThat(repository.find(order.id())).contains(order);
        assertThat(catalog.reserved).containsExactly(order.id());
        assertThat(repository.events).singleElement().satisfies(event -> {
            assertThat(event.subject()).isEqualTo(OrdersSubjects.ORDER_PLACED);
            OrderPlaced placed = (OrderPlaced) event.payload();
            assertThat(placed.eventId()).isEqualTo(event.eventId());
            assertThat(placed.orderId()).isEqualTo(order.id());
            assertThat(placed.paymentToken()).as("sealed for payments").startsWith("sealed.v1.")
                    .doesNotContain("tok_visa");
            assertThat(new PaymentTokenSeal(KEY).open(order.id(), placed.paymentToken()))
                    .isEqualTo("tok_visa");
            assertThat(placed.total()).isEqualTo(order.total());
        });
    }

    @Test
    void refusesBadOrdersWithoutStoringOrHoldingAnything() {
        assertRefused(new PlaceOrder(List.of(), null), Failure.Kind.INVALID, "at least one");
        assertRefused(new PlaceOrder(null, null), Failure.Kind.INVALID, "at least one");
        assertRefused(items(new PlaceOrder.Item(MUG, 0)), Failure.Kind.INVALID, "quantity must be 1..1000");
        assertRefused(items(new PlaceOrder.Item(MUG, 1001)), Failure.Kind.INVALID, "quantity must be 1..1000");
        assertRefused(items(new PlaceOrder.Item(null, 1)), Failure.Kind.INVALID, "productId is required");
        assertRefused(items(new PlaceOrder.Item(MUG, 1), new PlaceOrder.Item(MUG, 2)), Failure.Kind.INVALID, "twice");
        assertRefused(new PlaceOrder(List.of(new PlaceOrder.Item(MUG, 1)), "bad token!"), Failure.Kind.INVALID,
                "paymentToken");
        assertRefused(items(new PlaceOrder.Item(UUID.randomUUID(), 1)), Failure.Kind.INVALID, "unknown product");
        assertRefused(items(new PlaceOrder.Item(LAST_ONE, 1)), Failure.Kind.CONFLICT, "not enough stock");
        assertRefused(items(new PlaceOrder.Item(MUG, 1), new PlaceOrder.Item(LAMP, 1)), Failure.Kind.INVALID,
                "one currency");
        assertRefused(new PlaceOrder(IntStream.range(0, 101).mapToObj(i -> new PlaceOrder.Item(UUID.randomUUID(), 1))
                .toList(), null), Failure.Kind.INVALID, "at most 100 lines");
        assertThat(repository.orders).isEmpty();
        assertThat(repository.events).isEmpty();
        // a hold the refusal left is released beside the answer, not before it
        Await.until("no hold left", Duration.ofSeconds(5), () -> catalog.reserved.isEmpty());
    }

    @Test
    void aFailedWriteReleasesTheReservationAtOnce() {
        repository.failInserts = true;
        assertThatThrownBy(() -> service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER))
                .hasMessageContaining("disk full");
        // The first try starts at once, beside the answer (which does not wait for it).
        Await.until("the hold released", Duration.ofSeconds(5), () -> catalog.released.size() == 1);
        assertThat(catalog.reserved).isEmpty();
    }

    /**
     * Scenario e: the orders database unavailable, and catalog's too (one PostgreSQL): the write fails after the
     * pool's wait, and a release waiting for catalog's pool as well made the 503 take twice as long.
     */
    @Test
    void aFailedWriteIsAnsweredWithoutWaitingForTheRelease() throws Exception {
        repository.failInserts = true;
        java.util.concurrent.CountDownLatch catalogAnswers = new java.util.concurrent.CountDownLatch(1);
        catalog.releaseGate = catalogAnswers;
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER))
                    .hasMessageContaining("disk full");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not waiting for catalog's release")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(catalog.released).isEmpty();
        } finally {
            catalogAnswers.countDown();
        }
        Await.until("the hold released once catalog answers", Duration.ofSeconds(5),
                () -> catalog.released.size() == 1);
    }

    @Test
    void aReleaseCatalogCouldNotDoIsTriedAgainInTheBackground() {
        repository.failInserts = true;
        catalog.releaseFailures = 2; // catalog unavailable for the first two tries
        assertThatThrownBy(() -> service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER))
                .hasMessageContaining("disk full");
        assertThat(catalog.released).as("not at once").isEmpty();

        Await.until("the hold released by a later try", Duration.ofSeconds(10), () -> catalog.released.size() == 1);
        assertThat(catalog.reserved).isEmpty();
    }

    @Test
    void catalogFailuresPassThroughAndStoreNothing() {
        catalog.failure = Failure.unavailable("catalog is not available");
        assertThatThrownBy(() -> service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
        assertThat(repository.orders).isEmpty();
    }

    @Test
    void ordersStillPlacedAtTheSagaDeadlineAreCancelledOnceWithTheReason() {
        Order stuck = service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER);
        Order paid = service.place(items(new PlaceOrder.Item(TEE, 1)), CUSTOMER);
        service.paymentAuthorized(new SourceEvent(PaymentEventsListener.DURABLE, "e-paid"), paid.id(), UUID.randomUUID());
        repository.events.clear();
        OrderService later = new OrderService(repository, catalog, new OrderLimits(100, 1000),
                Clock.fixed(NOW.plus(Duration.ofMinutes(16)), ZoneOffset.UTC), UUID::randomUUID,
                new PaymentTokenSeal(KEY));

        assertThat(service.cancelOverdue(Duration.ofMinutes(15), 100)).as("not overdue yet").isEmpty();
        assertThat(later.cancelOverdue(Duration.ofMinutes(15), 100)).extracting(Order::id).containsExactly(stuck.id());
        assertThat(later.cancelOverdue(Duration.ofMinutes(15), 100)).as("once").isEmpty();

        Order cancelled = repository.find(stuck.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.history().getLast().reason()).isEqualTo("saga deadline: no payment outcome within PT15M");
        assertThat(repository.find(paid.id()).orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(repository.events).singleElement().satisfies(event -> {
            assertThat(event.subject()).as("catalog releases the stock").isEqualTo(OrdersSubjects.ORDER_CANCELLED);
            assertThat(((OrderCancelled) event.payload()).reason()).contains("saga deadline");
        });

        assertThat(later.paymentAuthorized(new SourceEvent(PaymentEventsListener.DURABLE, "e-late"), stuck.id(), UUID.randomUUID())).isEmpty();
        assertThat(later.paidAfterCancel()).as("counted, to be refunded").isEqualTo(1);
    }

    @Test
    void paymentOutcomesMoveAPlacedOrderOnceAndOnlyForward() {
        Order order = service.place(items(new PlaceOrder.Item(MUG, 1)), CUSTOMER);
        repository.events.clear();

        assertThat(service.paymentDeclined(new SourceEvent(PaymentEventsListener.DURABLE, "e1"), order.id(), "card declined")).isPresent();
        assertThat(service.paymentDeclined(new SourceEvent(PaymentEventsListener.DURABLE, "e1"), order.id(), "card declined")).as("same event again").isEmpty();
        assertThat(service.paymentAuthorized(new SourceEvent(PaymentEventsListener.DURABLE, "e2"), order.id(), UUID.randomUUID())).as("late, other outcome").isEmpty();

        Order stored = repository.find(order.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(stored.history()).extracting(StatusChange::status)
                .containsExactly(OrderStatus.PLACED, OrderStatus.CANCELLED);
        assertThat(repository.events).singleElement().satisfies(event -> {
            assertThat(event.subject()).isEqualTo(OrdersSubjects.ORDER_CANCELLED);
            assertThat(((OrderCancelled) event.payload()).reason()).contains("card declined");
        });
    }

    @Test
    void anUnknownOrderIsNotFound() {
        assertThatThrownBy(() -> service.get(UUID.randomUUID()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
    }

    private static PlaceOrder items(PlaceOrder.Item... items) {
        return new PlaceOrder(List.of(items), null);
    }

    private void assertRefused(PlaceOrder request, Failure.Kind kind, String message) {
        assertThatThrownBy(() -> service.place(request, CUSTOMER))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(kind))
                .hasMessageContaining(message);
    }

    /** A hand-written fake of catalog: every known product but {@code LAST_ONE} is in stock. */
    static final class InMemoryCatalog implements CatalogClient {
        final Set<UUID> reserved = ConcurrentHashMap.newKeySet();
        final List<UUID> released = new CopyOnWriteArrayList<>();
        final List<Customer> onBehalfOf = new CopyOnWriteArrayList<>();
        Failure failure;
        /** Releases refused (catalog unavailable) before one works. */
        volatile int releaseFailures;
        /** When set, a release waits (up to 30 s) until it opens: a catalog slow to answer. */
        volatile java.util.concurrent.CountDownLatch releaseGate;

        @Override
        public StockReservation reserve(UUID orderId, List<PlaceOrder.Item> items, Customer customer) {
            if (failure != null) {
                throw failure;
            }
            List<UUID> ids = items.stream().map(PlaceOrder.Item::productId).toList();
            List<UUID> missing = ids.stream().filter(id -> !CATALOG.containsKey(id)).toList();
            List<UUID> insufficient = ids.stream().filter(LAST_ONE::equals).toList();
            if (!missing.isEmpty() || !insufficient.isEmpty()) {
                return new StockReservation(false, List.of(), missing, insufficient);
            }
            reserved.add(orderId);
            onBehalfOf.add(customer);
            return new StockReservation(true, ids.stream().map(CATALOG::get).toList(), List.of(), List.of());
        }

        @Override
        public synchronized void release(UUID orderId, String reason) {
            java.util.concurrent.CountDownLatch gate = releaseGate;
            if (gate != null) {
                try {
                    gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Failure.unavailable("interrupted");
                }
            }
            if (releaseFailures > 0) {
                releaseFailures--;
                throw Failure.unavailable("catalog is not available");
            }
            if (reserved.remove(orderId)) {
                released.add(orderId);
            }
        }
    }
}
