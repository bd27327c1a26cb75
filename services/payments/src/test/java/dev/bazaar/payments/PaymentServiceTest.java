package dev.bazaar.payments;

import dev.bazaar.payments.nats.OrderPlacedListener;
import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.contracts.Failure;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentServiceTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final String CONSUMER = OrderPlacedListener.DURABLE;

    final InMemoryPaymentRepository repository = new InMemoryPaymentRepository();
    final AtomicInteger providerCalls = new AtomicInteger();
    final SimulatedPaymentProvider simulated = new SimulatedPaymentProvider(100_000);
    /** Orders whose stock catalog no longer holds. */
    final Set<UUID> stockGone = ConcurrentHashMap.newKeySet();
    final OrderStock stock = orderId -> stockGone.contains(orderId)
            ? new OrderStock.Commit(false, "lapsed and sold out") : new OrderStock.Commit(true, null);
    /** Authorizations voided, by order. */
    final List<UUID> voided = new CopyOnWriteArrayList<>();
    /** Runs inside the provider's authorization, as if it happened meanwhile. */
    volatile Runnable whileAuthorizing = () -> { };
    final PaymentProvider provider = new PaymentProvider() {
        @Override
        public Authorization authorize(Charge charge) {
            providerCalls.incrementAndGet();
            whileAuthorizing.run();
            return simulated.authorize(charge);
        }

        @Override
        public void voidAuthorization(Payment payment) {
            voided.add(payment.orderId());
        }
    };
    final PaymentService service = new PaymentService(repository, provider, stock, Clock.fixed(NOW, ZoneOffset.UTC),
            UUID::randomUUID);

    @Test
    void anAuthorizedOrderCancelledAfterwardsIsVoidedOnce() {
        UUID order = UUID.randomUUID();
        service.pay(source(), new Charge(order, "c-1", new Money(2500, "EUR"), "tok_visa"));
        SourceEvent cancelled = new SourceEvent("payments-order-cancelled", UUID.randomUUID().toString());

        Optional<Payment> voidedPayment = service.orderCancelled(cancelled, order, "saga deadline: no payment outcome");
        service.orderCancelled(cancelled, order, "saga deadline: no payment outcome"); // redelivered

        assertThat(voidedPayment).get().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PaymentStatus.VOIDED);
            assertThat(p.reason()).isEqualTo("order cancelled: saga deadline: no payment outcome");
        });
        assertThat(voided).containsExactly(order);
        assertThat(repository.findByOrder(order)).get().extracting(Payment::status).isEqualTo(PaymentStatus.VOIDED);
        assertThat(repository.events).as("no event: the order is cancelled already").hasSize(1);
    }

    @Test
    void anOrderCancelledBeforePaymentsHeardOfItIsDeclinedWithoutCharging() {
        UUID order = UUID.randomUUID();
        assertThat(service.orderCancelled(source(), order, "saga deadline")).isEmpty();

        Payment payment = service.pay(source(), new Charge(order, "c-1", new Money(2500, "EUR"), "tok_visa"));

        assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(payment.reason()).isEqualTo(PaymentService.ORDER_CANCELLED);
        assertThat(providerCalls).hasValue(0);
        assertThat(voided).isEmpty();
    }

    @Test
    void anOrderCancelledWhileTheProviderAuthorizesIsVoidedByThePayment() {
        UUID order = UUID.randomUUID();
        // The cancellation comes while the provider authorizes: it finds no payment to void yet.
        whileAuthorizing = () -> assertThat(service.orderCancelled(source(), order, "saga deadline")).isEmpty();

        Payment payment = service.pay(source(), new Charge(order, "c-1", new Money(2500, "EUR"), "tok_visa"));

        assertThat(payment.status()).isEqualTo(PaymentStatus.VOIDED);
        assertThat(voided).containsExactly(order);
        assertThat(repository.findByOrder(order)).contains(payment);
    }

    @Test
    void aDeclinedOrderCancelledChangesNothing() {
        UUID order = UUID.randomUUID();
        service.pay(source(), new Charge(order, "c-1", new Money(2500, "EUR"), "tok_declined"));

        assertThat(service.orderCancelled(source(), order, "payment declined: card declined")).isEmpty();

        assertThat(repository.findByOrder(order)).get().extracting(Payment::status).isEqualTo(PaymentStatus.DECLINED);
        assertThat(voided).isEmpty();
    }

    @Test
    void anOrderWhoseStockIsNoLongerHeldIsDeclinedWithoutCharging() {
        UUID order = UUID.randomUUID();
        stockGone.add(order);

        Payment payment = service.pay(source(), new Charge(order, "c-1", new Money(2500, "EUR"), "tok_visa"));

        assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(payment.reason()).isEqualTo(PaymentService.STOCK_GONE);
        assertThat(providerCalls).as("the provider is never asked").hasValue(0);
        assertThat(repository.events).singleElement()
                .satisfies(event -> assertThat(event.subject()).isEqualTo(PaymentsSubjects.PAYMENT_DECLINED));
    }

    @Test
    void catalogUnreachableFailsThePaymentForARetryAndStoresNothing() {
        PaymentService noCatalog = new PaymentService(repository, simulated, orderId -> {
            throw Failure.unavailable("catalog is not available");
        }, Clock.systemUTC(), UUID::randomUUID);

        assertThatThrownBy(() -> noCatalog.pay(source(), new Charge(UUID.randomUUID(), null, new Money(1, "EUR"), null)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
        assertThat(repository.payments).isEmpty();
        assertThat(providerCalls).hasValue(0);
    }

    @Test
    void authorizesAnOrderAndQueuesPaymentAuthorized() {
        UUID order = UUID.randomUUID();

        Payment payment = service.pay(source(), new Charge(order, "c-1", new Money(2500, "EUR"), "tok_visa"));

        assertThat(payment.status()).isEqualTo(PaymentStatus.AUTHORIZED);
        assertThat(payment.providerRef()).isEqualTo("sim_" + order);
        assertThat(payment.reason()).isNull();
        assertThat(payment.createdAt()).isEqualTo(NOW);
        assertThat(repository.findByOrder(order)).contains(payment);
        assertThat(repository.events).singleElement().satisfies(event -> {
            assertThat(event.subject()).isEqualTo(PaymentsSubjects.PAYMENT_AUTHORIZED);
            assertThat(event.payload()).isEqualTo(new PaymentAuthorized(event.eventId(), payment.id(), order, "c-1",
                    new Money(2500, "EUR"), NOW));
        });
    }

    @Test
    void declinesAnOrderAndQueuesPaymentDeclinedWithTheReason() {
        UUID order = UUID.randomUUID();

        Payment payment = service.pay(source(), new Charge(order, null, new Money(100_001, "EUR"), "tok_visa"));

        assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(payment.reason()).isEqualTo("amount over limit");
        assertThat(payment.providerRef()).isNull();
        assertThat(repository.events).singleElement().satisfies(event -> {
            assertThat(event.subject()).isEqualTo(PaymentsSubjects.PAYMENT_DECLINED);
            assertThat(event.payload()).isEqualTo(new PaymentDeclined(event.eventId(), payment.id(), order, null,
                    new Money(100_001, "EUR"), "amount over limit", NOW));
        });
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        SourceEvent source = source();
        Charge charge = new Charge(UUID.randomUUID(), null, new Money(100, "EUR"), null);

        Payment first = service.pay(source, charge);
        Payment again = service.pay(source, charge);

        assertThat(again).isEqualTo(first);
        assertThat(repository.payments).hasSize(1);
        assertThat(repository.events).hasSize(1);
        assertThat(providerCalls).hasValue(1);
    }

    @Test
    void aSecondEventForTheSameOrderKeepsTheFirstOutcome() {
        UUID order = UUID.randomUUID();
        Payment first = service.pay(source(), new Charge(order, null, new Money(100, "EUR"), "tok_declined"));

        Payment second = service.pay(source(), new Charge(order, null, new Money(100, "EUR"), "tok_visa"));

        assertThat(second).isEqualTo(first);
        assertThat(second.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(repository.events).hasSize(1);
        assertThat(providerCalls).hasValue(1);
    }

    @Test
    void aConcurrentWinnerForTheSameOrderIsWhatStands() {
        UUID order = UUID.randomUUID();
        Payment winner = new Payment(UUID.randomUUID(), order, null, new Money(100, "EUR"), PaymentStatus.AUTHORIZED,
                null, "sim_" + order, NOW);
        PaymentRepository racing = new PaymentRepository() {
            @Override
            public Optional<Payment> findByOrder(UUID orderId) {
                return Optional.empty(); // not there yet when we look
            }

            @Override
            public Payment record(SourceEvent source, Payment payment, OutgoingEvent event) {
                repository.record(new SourceEvent(CONSUMER, "other instance"), winner,
                        PaymentEvents.of(winner, UUID.randomUUID()));
                return repository.record(source, payment, event);
            }

            @Override
            public boolean recordCancelled(SourceEvent source, UUID orderId, String reason, Instant at) {
                return repository.recordCancelled(source, orderId, reason, at);
            }

            @Override
            public boolean isCancelled(UUID orderId) {
                return repository.isCancelled(orderId);
            }

            @Override
            public Optional<Payment> markVoided(UUID orderId, String reason, Instant at) {
                return repository.markVoided(orderId, reason, at);
            }
        };
        PaymentService service = new PaymentService(racing, simulated, stock, Clock.systemUTC(), UUID::randomUUID);

        Payment payment = service.pay(source(), new Charge(order, null, new Money(100, "EUR"), null));

        assertThat(payment).isEqualTo(winner);
        assertThat(repository.events).extracting(OutgoingEvent::payload).extracting("paymentId")
                .containsExactly(winner.id());
    }

    @Test
    void chargesThatCanNeverBePaidAreInvalidAndStoreNothing() {
        Money eur = new Money(100, "EUR");
        assertInvalid(new Charge(null, null, eur, null), "orderId is required");
        assertInvalid(new Charge(UUID.randomUUID(), null, null, null), "total is required");
        assertInvalid(new Charge(UUID.randomUUID(), null, new Money(-1, "EUR"), null), "must not be negative");
        assertInvalid(new Charge(UUID.randomUUID(), null, new Money(100, "EURO"), null), "ISO 4217");
        assertInvalid(new Charge(UUID.randomUUID(), null, new Money(100, "eur"), null), "ISO 4217");
        assertInvalid(new Charge(UUID.randomUUID(), null, new Money(100, "XYZ"), null), "ISO 4217");
        assertInvalid(new Charge(UUID.randomUUID(), null, new Money(100, null), null), "ISO 4217");
        assertThat(repository.payments).isEmpty();
        assertThat(providerCalls).hasValue(0);
    }

    @Test
    void providerFailuresPassThroughAndStoreNothing() {
        PaymentService down = new PaymentService(repository, charge -> {
            throw Failure.unavailable("provider is not available");
        }, stock, Clock.systemUTC(), UUID::randomUUID);

        assertThatThrownBy(() -> down.pay(source(), new Charge(UUID.randomUUID(), null, new Money(1, "EUR"), null)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
        assertThat(repository.payments).isEmpty();
        assertThat(repository.processed).isEmpty();
    }

    @Test
    void anOrderWithoutPaymentIsNotFound() {
        assertThatThrownBy(() -> service.get(UUID.randomUUID()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
    }

    private void assertInvalid(Charge charge, String message) {
        assertThatThrownBy(() -> service.pay(source(), charge))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageContaining(message);
    }

    private static SourceEvent source() {
        return new SourceEvent(CONSUMER, UUID.randomUUID().toString());
    }
}
