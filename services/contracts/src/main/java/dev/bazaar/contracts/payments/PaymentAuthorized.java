package dev.bazaar.contracts.payments;

import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.VersionedEvent;

import java.time.Instant;
import java.util.UUID;

/** Event on {@value PaymentsSubjects#PAYMENT_AUTHORIZED}: the order's amount was authorized. */
public record PaymentAuthorized(UUID eventId, UUID paymentId, UUID orderId, String customerId, Money amount,
                                Instant authorizedAt,
                                Integer schemaVersion) implements VersionedEvent {
    /** The version this code writes (see {@link VersionedEvent}). */
    public static final int SCHEMA_VERSION = 1;

    public PaymentAuthorized {
        schemaVersion = VersionedEvent.readVersion(schemaVersion);
    }

    /** The event at {@link #SCHEMA_VERSION}, as producers build it. */
    public PaymentAuthorized(UUID eventId, UUID paymentId, UUID orderId, String customerId, Money amount,
                             Instant authorizedAt) {
        this(eventId, paymentId, orderId, customerId, amount, authorizedAt, SCHEMA_VERSION);
    }
}
