package dev.bazaar.payments;

/**
 * A stand-in provider with deterministic rules, checked in this order:
 * <ol>
 *   <li>an amount over {@code declineAbove} minor units is declined, reason {@value #OVER_LIMIT};</li>
 *   <li>the payment token {@value #DECLINED_TOKEN} is declined, reason {@value #CARD_DECLINED};</li>
 *   <li>anything else is authorized with reference {@code sim_<orderId>} (the same order always gets the same
 *   reference, as an idempotent provider would answer).</li>
 * </ol>
 * A void always succeeds (there is nothing to give back: nothing was captured).
 */
public final class SimulatedPaymentProvider implements PaymentProvider {
    public static final String DECLINED_TOKEN = "tok_declined";
    public static final String OVER_LIMIT = "amount over limit";
    public static final String CARD_DECLINED = "card declined";

    private final long declineAbove;

    public SimulatedPaymentProvider(long declineAbove) {
        if (declineAbove < 0) {
            throw new IllegalArgumentException("declineAbove must not be negative");
        }
        this.declineAbove = declineAbove;
    }

    @Override
    public Authorization authorize(Charge charge) {
        if (charge.amount().amount() > declineAbove) {
            return new Authorization.Declined(OVER_LIMIT);
        }
        if (DECLINED_TOKEN.equals(charge.paymentToken())) {
            return new Authorization.Declined(CARD_DECLINED);
        }
        return new Authorization.Approved("sim_" + charge.orderId());
    }

    @Override
    public void voidAuthorization(Payment payment) {
        // Nothing to do: a simulated authorization holds no money.
    }
}
