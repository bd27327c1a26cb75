package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceScopeTest {
    final List<String> allowed = List.of("orders", "catalog");

    @Test
    void noScopeMeansEveryAllowedScope() {
        assertThat(TokenService.grant(null, allowed, allowed)).isEqualTo("orders catalog");
        assertThat(TokenService.grant("  ", allowed, allowed)).isEqualTo("orders catalog");
    }

    @Test
    void grantsARequestedSubsetOnce() {
        assertThat(TokenService.grant(" catalog  catalog ", allowed, allowed)).isEqualTo("catalog");
    }

    @Test
    void refusesAScopeThatIsNotAllowed() {
        assertThatThrownBy(() -> TokenService.grant("orders admin", allowed, allowed))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error()).isEqualTo("invalid_scope"));
    }
}
