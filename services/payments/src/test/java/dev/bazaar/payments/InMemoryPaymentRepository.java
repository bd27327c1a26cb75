package dev.bazaar.payments;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A hand-written fake of the repository port, with the real one's guarantees: one payment per order, once per event. */
final class InMemoryPaymentRepository implements PaymentRepository {
    final Map<UUID, Payment> payments = new HashMap<>();
    final Set<SourceEvent> processed = new HashSet<>();
    final List<OutgoingEvent> events = new ArrayList<>();
    final Map<UUID, String> cancelled = new HashMap<>();

    @Override
    public synchronized Optional<Payment> findByOrder(UUID orderId) {
        return Optional.ofNullable(payments.get(orderId));
    }

    @Override
    public synchronized Payment record(SourceEvent source, Payment payment, OutgoingEvent event) {
        if (!processed.add(source)) {
            return payments.get(payment.orderId());
        }
        Payment standing = payments.putIfAbsent(payment.orderId(), payment);
        if (standing != null) {
            return standing;
        }
        events.add(event);
        return payment;
    }

    @Override
    public synchronized boolean recordCancelled(SourceEvent source, UUID orderId, String reason, Instant at) {
        if (!processed.add(source)) {
            return false;
        }
        cancelled.putIfAbsent(orderId, reason);
        return true;
    }

    @Override
    public synchronized boolean isCancelled(UUID orderId) {
        return cancelled.containsKey(orderId);
    }

    @Override
    public synchronized Optional<Payment> markVoided(UUID orderId, String reason, Instant at) {
        Payment payment = payments.get(orderId);
        if (payment == null || payment.status() != PaymentStatus.AUTHORIZED) {
            return Optional.empty();
        }
        Payment voided = new Payment(payment.id(), orderId, payment.customerId(), payment.amount(),
                PaymentStatus.VOIDED, reason, payment.providerRef(), payment.createdAt());
        payments.put(orderId, voided);
        return Optional.of(voided);
    }
}
