package dev.bazaar.payments;

import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.Failure;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** Payments' use cases. */
public final class PaymentService {
    /** Why an order whose stock is no longer held is declined (shown to the customer). */
    public static final String STOCK_GONE = "the order's stock is no longer held";
    /** Why a payment for an order cancelled before payments charged it is declined. */
    public static final String ORDER_CANCELLED = "the order was cancelled";
    private static final Logger LOG = Logger.getLogger(PaymentService.class.getName());

    private final PaymentRepository payments;
    private final PaymentProvider provider;
    private final OrderStock stock;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public PaymentService(PaymentRepository payments, PaymentProvider provider, OrderStock stock, Clock clock,
                          Supplier<UUID> ids) {
        this.payments = payments;
        this.provider = provider;
        this.stock = stock;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Pays for an order once: authorizes {@code charge} with the provider and records the attempt with its outcome
     * event. An order that already has a payment keeps it (no second authorization, no second event), and so does a
     * redelivered {@code source}.
     * <p>
     * The customer is charged only for stock that is the order's: catalog commits it first, and an order whose hold
     * is gone (lapsed and sold out since, released, cancelled) is declined without asking the provider, so that no
     * order is confirmed for stock that went back on the shelf (issue 9, gap 1). Catalog unreachable: the failure
     * passes through and the event is retried.
     *
     * @throws Failure {@code INVALID} when the charge can never be paid (no order id, negative amount, unknown
     *                 currency); provider failures pass through
     */
    public Payment pay(SourceEvent source, Charge charge) {
        validate(charge);
        PaymentRepository.Standing standing = payments.standing(charge.orderId());
        Optional<Payment> existing = standing.payment();
        if (existing.isPresent()) {
            LOG.info(() -> "order " + charge.orderId() + " already has payment " + existing.get().id() + " ("
                    + existing.get().status() + "); event " + source.eventId() + " changes nothing");
            return existing.get();
        }
        Authorization authorization;
        if (standing.cancelled()) {
            authorization = new Authorization.Declined(ORDER_CANCELLED);
        } else {
            OrderStock.Commit committed = stock.commit(charge.orderId());
            if (!committed.committed()) {
                LOG.info(() -> "order " + charge.orderId() + " is not charged: " + committed.reason());
            }
            authorization = committed.committed() ? provider.authorize(charge) : new Authorization.Declined(STOCK_GONE);
        }
        Payment payment = Payment.of(ids.get(), charge, authorization, clock.instant());
        Payment stored = payments.record(source, payment, PaymentEvents.of(payment, ids.get()));
        if (stored.id().equals(payment.id())) {
            LOG.info(() -> "order " + charge.orderId() + ": payment " + payment.id() + " " + payment.status()
                    + (payment.reason() == null ? "" : " (" + payment.reason() + ")"));
        }
        if (stored.status() == PaymentStatus.AUTHORIZED && payments.isCancelled(charge.orderId())) {
            // The order was cancelled while the provider authorized (the saga deadline): its cancellation found no
            // payment to void yet, so this side does it.
            return voidPayment(charge.orderId(), "order cancelled while it was being paid").orElse(stored);
        }
        return stored;
    }

    /**
     * The order was cancelled (its {@code order-cancelled} event): an authorization it has is voided, so that the
     * customer is not charged for an order that will not be fulfilled (the saga deadline cancelled it while payments
     * charged); a payment that comes later is declined without charging. Both sides write first and look second, so
     * an authorization racing the cancellation is voided by whichever comes last.
     */
    public Optional<Payment> orderCancelled(SourceEvent source, UUID orderId, String reason) {
        if (orderId == null) {
            throw Failure.invalid("orderId is required");
        }
        String why = reason == null || reason.isBlank() ? "order cancelled" : "order cancelled: " + reason;
        if (!payments.recordCancelled(source, orderId, why, clock.instant())) {
            return Optional.empty();
        }
        return voidPayment(orderId, why);
    }

    private Optional<Payment> voidPayment(UUID orderId, String why) {
        Optional<Payment> authorized = payments.findByOrder(orderId)
                .filter(payment -> payment.status() == PaymentStatus.AUTHORIZED);
        if (authorized.isEmpty()) {
            return Optional.empty();
        }
        provider.voidAuthorization(authorized.get()); // first: a failure leaves it AUTHORIZED, and the event is retried
        Optional<Payment> voided = payments.markVoided(orderId, why, clock.instant());
        voided.ifPresent(payment -> LOG.warning(() -> "order " + orderId + ": payment " + payment.id()
                + " voided (" + why + ")"));
        return voided;
    }

    /** The payment of {@code orderId}. */
    public Payment get(UUID orderId) {
        return payments.findByOrder(orderId).orElseThrow(() -> Failure.notFound("no payment for order " + orderId));
    }

    private static void validate(Charge charge) {
        if (charge == null || charge.orderId() == null) {
            throw Failure.invalid("orderId is required");
        }
        Money amount = charge.amount();
        if (amount == null) {
            throw Failure.invalid("total is required");
        }
        if (amount.amount() < 0) {
            throw Failure.invalid("total.amount must not be negative");
        }
        if (!Money.isCurrencyCode(amount.currency())) {
            throw Failure.invalid("total.currency must be an ISO 4217 code such as EUR");
        }
    }
}
