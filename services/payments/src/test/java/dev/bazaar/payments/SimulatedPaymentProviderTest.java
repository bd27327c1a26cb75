package dev.bazaar.payments;

import dev.bazaar.contracts.Money;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedPaymentProviderTest {
    final SimulatedPaymentProvider provider = new SimulatedPaymentProvider(100_000);

    @Test
    void authorizesUpToTheLimitWithAReferenceFixedByTheOrder() {
        UUID order = UUID.randomUUID();

        assertThat(provider.authorize(charge(order, 100_000, "tok_visa")))
                .isEqualTo(new Authorization.Approved("sim_" + order));
        assertThat(provider.authorize(charge(order, 0, null)))
                .isEqualTo(provider.authorize(charge(order, 1, "anything")));
    }

    @Test
    void declinesAnAmountOverTheLimit() {
        assertThat(provider.authorize(charge(UUID.randomUUID(), 100_001, "tok_visa")))
                .isEqualTo(new Authorization.Declined("amount over limit"));
    }

    @Test
    void declinesTheDeclinedCardToken() {
        assertThat(provider.authorize(charge(UUID.randomUUID(), 500, "tok_declined")))
                .isEqualTo(new Authorization.Declined("card declined"));
    }

    @Test
    void theLimitIsCheckedBeforeTheCard() {
        assertThat(provider.authorize(charge(UUID.randomUUID(), 100_001, "tok_declined")))
                .isEqualTo(new Authorization.Declined("amount over limit"));
    }

    @Test
    void theLimitIsConfigurable() {
        SimulatedPaymentProvider strict = new SimulatedPaymentProvider(999);

        assertThat(strict.authorize(charge(UUID.randomUUID(), 999, null))).isInstanceOf(Authorization.Approved.class);
        assertThat(strict.authorize(charge(UUID.randomUUID(), 1_000, null))).isInstanceOf(Authorization.Declined.class);
        assertThatThrownBy(() -> new SimulatedPaymentProvider(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Charge charge(UUID order, long amount, String token) {
        return new Charge(order, "customer-1", new Money(amount, "EUR"), token);
    }
}
