package dev.bazaar.contracts.payments;

import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.VersionedEvent;

import java.time.Instant;
import java.util.UUID;

/** Event on {@value PaymentsSubjects#PAYMENT_DECLINED}: the provider refused; {@code reason} says why. */
public record PaymentDeclined(UUID eventId, UUID paymentId, UUID orderId, String customerId, Money amount,
                              String reason, Instant declinedAt,
                              Integer schemaVersion) implements VersionedEvent {
    /** The version this code writes (see {@link VersionedEvent}). */
    public static final int SCHEMA_VERSION = 1;

    public PaymentDeclined {
        schemaVersion = VersionedEvent.readVersion(schemaVersion);
    }

    /** The event at {@link #SCHEMA_VERSION}, as producers build it. */
    public PaymentDeclined(UUID eventId, UUID paymentId, UUID orderId, String customerId, Money amount,
                           String reason, Instant declinedAt) {
        this(eventId, paymentId, orderId, customerId, amount, reason, declinedAt, SCHEMA_VERSION);
    }
}
