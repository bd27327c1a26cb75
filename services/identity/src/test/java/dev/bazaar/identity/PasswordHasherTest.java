package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    /** A tiny cost: the algorithm is the same, only slower in production. */
    final PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Argon2Cost(64, 1, 1));

    @Test
    void hashesInThePhcFormatWithTheConfiguredCost() {
        assertThat(hasher.hash("correct horse battery"))
                .matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void twoHashesOfOnePasswordDifferAndBothVerify() {
        String first = hasher.hash("correct horse battery");
        String second = hasher.hash("correct horse battery");

        assertThat(first).isNotEqualTo(second);
        assertThat(hasher.verify("correct horse battery", first)).isTrue();
        assertThat(hasher.verify("correct horse battery", second)).isTrue();
    }

    @Test
    void aWrongPasswordFails() {
        assertThat(hasher.verify("correct horse batterz", hasher.hash("correct horse battery"))).isFalse();
    }

    @Test
    void verifiesWithTheCostStoredInTheHash() {
        String older = new PasswordHasher(new PasswordHasher.Argon2Cost(128, 2, 2)).hash("correct horse battery");

        assertThat(hasher.verify("correct horse battery", older)).isTrue();
    }

    @Test
    void parsesPhcStringsAndRefusesMalformedOnes() {
        PasswordHasher.Phc phc = PasswordHasher.Phc.parse(hasher.hash("correct horse battery"));
        assertThat(phc.cost()).isEqualTo(new PasswordHasher.Argon2Cost(64, 1, 1));
        assertThat(phc.salt()).hasSize(16);
        assertThat(phc.hash()).hasSize(32);

        assertThat(hasher.verify("x", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=64$c2FsdA$aGFzaA")).isFalse();
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verifyNobody("x")).isFalse();
    }
}
