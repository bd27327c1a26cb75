package dev.bazaar.contracts.payments;

/** The NATS subjects of payments: the events it publishes. */
public final class PaymentsSubjects {
    /** The service name. */
    public static final String SERVICE = "payments";
    /** The stream payments creates for its events. */
    public static final String STREAM = "PAYMENTS";
    /** Every payments event subject. */
    public static final String EVENTS = "payments.events.>";
    /** {@link PaymentAuthorized}. */
    public static final String PAYMENT_AUTHORIZED = "payments.events.payment-authorized";
    /** {@link PaymentDeclined}. */
    public static final String PAYMENT_DECLINED = "payments.events.payment-declined";

    private PaymentsSubjects() {
    }
}
