package dev.bazaar.payments;

/** A provider's answer to a {@link Charge}. */
public sealed interface Authorization {
    /** The amount is authorized; {@code reference} is the provider's id for it. */
    record Approved(String reference) implements Authorization {
    }

    /** The provider refused; {@code reason} is safe to show to the customer. */
    record Declined(String reason) implements Authorization {
    }
}
