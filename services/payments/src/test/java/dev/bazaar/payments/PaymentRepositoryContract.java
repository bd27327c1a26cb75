package dev.bazaar.payments;

import dev.bazaar.payments.nats.OrderPlacedListener;
import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.Money;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link PaymentRepository} guarantees; run against the fake and against PostgreSQL. */
abstract class PaymentRepositoryContract {
    static final String CONSUMER = OrderPlacedListener.DURABLE;

    abstract PaymentRepository repository();

    /** How many events the repository has queued for publication so far. */
    abstract long queuedEvents();

    @Test
    void recordsAPaymentWithItsEvent() {
        long before = queuedEvents();
        Payment payment = authorized(UUID.randomUUID());

        assertThat(repository().record(source(), payment, event(payment))).isEqualTo(payment);

        assertThat(repository().findByOrder(payment.orderId())).contains(payment);
        assertThat(queuedEvents()).isEqualTo(before + 1);
    }

    @Test
    void keepsADeclineWithItsReason() {
        UUID order = UUID.randomUUID();
        Payment declined = new Payment(UUID.randomUUID(), order, "customer-7", new Money(150_000, "USD"),
                PaymentStatus.DECLINED, "amount over limit", null, now());

        repository().record(source(), declined, event(declined));

        assertThat(repository().findByOrder(order)).contains(declined);
    }

    @Test
    void aProcessedSourceChangesNothing() {
        SourceEvent source = source();
        Payment first = authorized(UUID.randomUUID());
        repository().record(source, first, event(first));
        long before = queuedEvents();

        Payment retry = authorized(first.orderId());
        assertThat(repository().record(source, retry, event(retry))).isEqualTo(first);

        assertThat(repository().findByOrder(first.orderId())).contains(first);
        assertThat(queuedEvents()).isEqualTo(before);
    }

    @Test
    void anOrderIsPaidAtMostOnce() {
        Payment first = authorized(UUID.randomUUID());
        repository().record(source(), first, event(first));
        long before = queuedEvents();

        Payment second = authorized(first.orderId());
        assertThat(repository().record(source(), second, event(second))).isEqualTo(first);

        assertThat(repository().findByOrder(first.orderId())).contains(first);
        assertThat(queuedEvents()).isEqualTo(before);
    }

    @Test
    void anAuthorizedPaymentIsVoidedOnceAndACancellationIsKept() {
        Payment payment = authorized(UUID.randomUUID());
        repository().record(source(), payment, event(payment));

        assertThat(repository().markVoided(payment.orderId(), "order cancelled", now())).get()
                .satisfies(voided -> {
                    assertThat(voided.status()).isEqualTo(PaymentStatus.VOIDED);
                    assertThat(voided.reason()).isEqualTo("order cancelled");
                    assertThat(voided.providerRef()).isEqualTo(payment.providerRef());
                });
        assertThat(repository().markVoided(payment.orderId(), "again", now())).isEmpty();
        assertThat(repository().markVoided(UUID.randomUUID(), "no payment", now())).isEmpty();

        UUID order = UUID.randomUUID();
        SourceEvent cancelled = source();
        assertThat(repository().isCancelled(order)).isFalse();
        assertThat(repository().recordCancelled(cancelled, order, "saga deadline", now())).isTrue();
        assertThat(repository().recordCancelled(cancelled, order, "saga deadline", now())).as("processed").isFalse();
        assertThat(repository().isCancelled(order)).isTrue();
    }

    @Test
    void anOrderWithoutPaymentIsAbsent() {
        assertThat(repository().findByOrder(UUID.randomUUID())).isEmpty();
        assertThat(repository().standing(UUID.randomUUID()))
                .isEqualTo(new PaymentRepository.Standing(java.util.Optional.empty(), false));
    }

    @Test
    void whatStandsForAnOrderIsItsPaymentAndWhetherItWasCancelled() {
        Payment payment = authorized(UUID.randomUUID());
        repository().record(source(), payment, event(payment));
        assertThat(repository().standing(payment.orderId()))
                .isEqualTo(new PaymentRepository.Standing(java.util.Optional.of(payment), false));

        repository().recordCancelled(source(), payment.orderId(), "saga deadline", now());
        assertThat(repository().standing(payment.orderId()))
                .isEqualTo(new PaymentRepository.Standing(java.util.Optional.of(payment), true));
        UUID unpaid = UUID.randomUUID();
        repository().recordCancelled(source(), unpaid, "saga deadline", now());
        assertThat(repository().standing(unpaid))
                .isEqualTo(new PaymentRepository.Standing(java.util.Optional.empty(), true));
    }

    static Payment authorized(UUID order) {
        return new Payment(UUID.randomUUID(), order, null, new Money(2500, "EUR"), PaymentStatus.AUTHORIZED, null,
                "sim_" + order, now());
    }

    static OutgoingEvent event(Payment payment) {
        return PaymentEvents.of(payment, UUID.randomUUID());
    }

    static SourceEvent source() {
        return new SourceEvent(CONSUMER, UUID.randomUUID().toString());
    }

    /** Now, at the database's precision. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
