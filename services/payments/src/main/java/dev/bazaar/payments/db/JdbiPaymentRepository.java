package dev.bazaar.payments.db;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.Money;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.ProcessedEvents;
import dev.bazaar.payments.Payment;
import dev.bazaar.payments.PaymentRepository;
import dev.bazaar.payments.PaymentStatus;
import dev.bazaar.contracts.SourceEvent;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Payment attempts in payments' PostgreSQL database, each written in one transaction with its outcome event (in the
 * outbox) and the processed-event guard of the event that caused it.
 */
public final class JdbiPaymentRepository implements PaymentRepository {
    private final Jdbi jdbi;
    private final Outbox outbox;
    private final Runnable eventsQueued;

    /** {@code eventsQueued} runs after a commit that queued an event (typically the outbox relay's wake-up). */
    public JdbiPaymentRepository(Jdbi jdbi, Outbox outbox, Runnable eventsQueued) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.eventsQueued = eventsQueued;
    }

    @Override
    public Optional<Payment> findByOrder(UUID orderId) {
        return jdbi.withHandle(h -> find(h, orderId));
    }

    @Override
    public Standing standing(UUID orderId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM cancelled_orders WHERE order_id = :order) AS cancelled, p.*
                        FROM (SELECT 1) AS one LEFT JOIN payments p ON p.order_id = :order
                        """)
                .bind("order", orderId)
                .map((rs, ctx) -> new Standing(
                        rs.getObject("id") == null ? Optional.empty() : Optional.of(PAYMENT.map(rs, ctx)),
                        rs.getBoolean("cancelled")))
                .one());
    }

    @Override
    public Payment record(SourceEvent source, Payment payment, OutgoingEvent event) {
        // One statement, atomic by itself: the guard, the payment (unless the order has one) and its event, in one
        // round trip; the payment and the event only the first time the source event comes.
        Outbox.Rows rows = outbox.rows().add(event.subject(), event.eventId(), event.payload());
        boolean queued = jdbi.withHandle(h -> ProcessedEvents.bindTo(rows.bindTo(h.createQuery("""
                        WITH g AS (
                        """ + ProcessedEvents.INSERT_FIRST_TIME + """
                        ),
                        p AS (
                            INSERT INTO payments (id, order_id, customer_id, amount, currency, status, reason,
                                                  provider_ref, created_at)
                            SELECT :id, :order, :customer, :amount, :currency, :status, :reason, :providerRef,
                                   CAST(:createdAt AS timestamptz)
                            WHERE EXISTS (SELECT 1 FROM g)
                            ON CONFLICT (order_id) DO NOTHING
                            RETURNING 1),
                        e AS (
                        """ + Outbox.INSERT_ROWS + """
                         WHERE EXISTS (SELECT 1 FROM p))
                        SELECT count(*) FROM p
                        """)), source.consumer(), source.eventId())
                .bind("id", payment.id())
                .bind("order", payment.orderId())
                .bind("customer", payment.customerId())
                .bind("amount", payment.amount().amount())
                .bind("currency", payment.amount().currency())
                .bind("status", payment.status().name())
                .bind("reason", payment.reason())
                .bind("providerRef", payment.providerRef())
                .bind("createdAt", Timestamp.from(payment.createdAt()))
                .mapTo(Integer.class)
                .one() == 1);
        if (!queued) {
            // A repeated source event, or the order has a payment already: that one stands.
            return jdbi.withHandle(h -> standing(h, payment.orderId()));
        }
        eventsQueued.run();
        return payment;
    }

    @Override
    public boolean recordCancelled(SourceEvent source, UUID orderId, String reason, Instant at) {
        return jdbi.inTransaction(h -> {
            if (!ProcessedEvents.firstTime(h, source.consumer(), source.eventId())) {
                return false;
            }
            h.createUpdate("""
                            INSERT INTO cancelled_orders (order_id, reason, cancelled_at) VALUES (:order, :reason, :at)
                            ON CONFLICT (order_id) DO NOTHING
                            """)
                    .bind("order", orderId)
                    .bind("reason", reason)
                    .bind("at", Timestamp.from(at))
                    .execute();
            return true;
        });
    }

    @Override
    public boolean isCancelled(UUID orderId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM cancelled_orders WHERE order_id = :order)")
                .bind("order", orderId)
                .mapTo(Boolean.class)
                .one());
    }

    @Override
    public Optional<Payment> markVoided(UUID orderId, String reason, Instant at) {
        return jdbi.inTransaction(h -> {
            int voided = h.createUpdate("""
                            UPDATE payments SET status = 'VOIDED', reason = :reason, voided_at = :at
                            WHERE order_id = :order AND status = 'AUTHORIZED'
                            """)
                    .bind("order", orderId)
                    .bind("reason", reason)
                    .bind("at", Timestamp.from(at))
                    .execute();
            return voided == 0 ? Optional.<Payment>empty() : find(h, orderId);
        });
    }

    private static Payment standing(Handle h, UUID orderId) {
        return find(h, orderId).orElseThrow(() -> new IllegalStateException(
                "event processed before but order " + orderId + " has no payment"));
    }

    private static Optional<Payment> find(Handle h, UUID orderId) {
        return h.createQuery("""
                        SELECT id, order_id, customer_id, amount, currency, status, reason, provider_ref, created_at
                        FROM payments WHERE order_id = :order
                        """)
                .bind("order", orderId)
                .map(PAYMENT)
                .findOne();
    }

    private static final RowMapper<Payment> PAYMENT = (rs, ctx) -> new Payment(
            rs.getObject("id", UUID.class),
            rs.getObject("order_id", UUID.class),
            rs.getString("customer_id"),
            new Money(rs.getLong("amount"), rs.getString("currency")),
            PaymentStatus.valueOf(rs.getString("status")),
            rs.getString("reason"),
            rs.getString("provider_ref"),
            rs.getTimestamp("created_at").toInstant());
}
