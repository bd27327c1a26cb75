package dev.bazaar.payments;

import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Where payment attempts are kept, together with the events that announce them. */
public interface PaymentRepository {
    Optional<Payment> findByOrder(UUID orderId);

    /** What stands for an order before paying it: its payment, if any, and whether it was cancelled. */
    record Standing(Optional<Payment> payment, boolean cancelled) {
    }

    /** {@link #findByOrder} and {@link #isCancelled} together (one round trip where the store allows). */
    default Standing standing(UUID orderId) {
        return new Standing(findByOrder(orderId), isCancelled(orderId));
    }

    /**
     * In one transaction: marks {@code source} as processed, stores {@code payment} and queues {@code event} for
     * publication. Nothing is written when {@code source} was processed before or the order already has a payment;
     * either way the answer is the payment that stands for the order.
     */
    Payment record(SourceEvent source, Payment payment, OutgoingEvent event);

    /**
     * In one transaction: marks {@code source} as processed and remembers that {@code orderId} was cancelled (once;
     * the first reason stays). False when {@code source} was processed before.
     */
    boolean recordCancelled(SourceEvent source, UUID orderId, String reason, Instant at);

    /** True once {@link #recordCancelled} has run for the order. */
    boolean isCancelled(UUID orderId);

    /** Moves the order's {@code AUTHORIZED} payment to {@code VOIDED}; empty when it has none (or it is not authorized). */
    Optional<Payment> markVoided(UUID orderId, String reason, Instant at);
}
