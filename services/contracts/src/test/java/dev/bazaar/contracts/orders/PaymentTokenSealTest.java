package dev.bazaar.contracts.orders;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentTokenSealTest {
    final PaymentTokenSeal seal = new PaymentTokenSeal(Base64.getEncoder().encodeToString(new byte[32]));
    final UUID order = UUID.randomUUID();

    @Test
    void aSealedTokenShowsNothingAndOpensForItsOrderOnly() {
        String sealed = seal.seal(order, "tok_visa");

        assertThat(sealed).startsWith("sealed.v1.").doesNotContain("tok_visa").isNotEqualTo(seal.seal(order, "tok_visa"));
        assertThat(seal.open(order, sealed)).isEqualTo("tok_visa");
        assertThatThrownBy(() -> seal.open(UUID.randomUUID(), sealed)).hasMessageContaining("does not open");
        byte[] other = new byte[32];
        other[31] = 7;
        assertThatThrownBy(() -> new PaymentTokenSeal(Base64.getEncoder().encodeToString(other)).open(order, sealed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another key");
        assertThatThrownBy(() -> seal.open(order, "sealed.v1.AAAA")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noTokenStaysNoneAndAnUnsealedOneFromBeforeIsTakenAsItIs() {
        assertThat(seal.seal(order, null)).isNull();
        assertThat(seal.open(order, null)).isNull();
        assertThat(seal.open(order, "tok_declined")).isEqualTo("tok_declined");
    }

    @Test
    void theKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> new PaymentTokenSeal("???")).hasMessageContaining("base64");
        assertThatThrownBy(() -> new PaymentTokenSeal(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }
}
