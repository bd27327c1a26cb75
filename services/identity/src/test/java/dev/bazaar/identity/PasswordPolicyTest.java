package dev.bazaar.identity;

import dev.bazaar.contracts.Failure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {
    @Test
    void acceptsALongUncommonPassword() {
        assertThatCode(() -> PasswordPolicy.check("correct horse battery", "ann@example.com")).doesNotThrowAnyException();
    }

    @Test
    void refusesShortAndOverlongPasswords() {
        assertThatThrownBy(() -> PasswordPolicy.check("elevenchars", "ann@example.com"))
                .isInstanceOf(Failure.class).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> PasswordPolicy.check("x".repeat(129), "ann@example.com"))
                .isInstanceOf(Failure.class).hasMessageContaining("at most 128");
    }

    @Test
    void refusesAPasswordContainingTheEmailLocalPart() {
        assertThatThrownBy(() -> PasswordPolicy.check("my-Annabel-is-great", "annabel@example.com"))
                .isInstanceOf(Failure.class).hasMessageContaining("e-mail");
    }

    @Test
    void refusesCommonPasswordsWhateverTheCase() {
        assertThatThrownBy(() -> PasswordPolicy.check("PasswordPassword", "ann@example.com"))
                .isInstanceOf(Failure.class).hasMessageContaining("too common");
    }

    @Test
    void normalizesAndValidatesEmails() {
        org.assertj.core.api.Assertions.assertThat(EmailAddress.normalize("  Ann@Example.COM ")).isEqualTo("ann@example.com");
        assertThatThrownBy(() -> EmailAddress.normalize("not-an-address")).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> EmailAddress.normalize(" ")).isInstanceOf(Failure.class);
    }
}
