package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefreshTokensTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryRefreshTokenRepository repository = new InMemoryRefreshTokenRepository();
    final RefreshTokens tokens = new RefreshTokens(repository, Duration.ofDays(14), clock);
    final UUID user = UUID.randomUUID();

    @Test
    void storesOnlyTheHashOfA256BitToken() {
        RefreshTokens.Issued issued = tokens.issue(user, "orders");

        assertThat(issued.token()).hasSize(43);
        assertThat(repository.tokens.values()).singleElement()
                .satisfies(t -> assertThat(t.hash()).isEqualTo(RefreshTokens.hash(issued.token())));
    }

    @Test
    void rotationReturnsANewTokenOfTheSameFamily() {
        RefreshTokens.Issued first = tokens.issue(user, "orders");
        RefreshTokens.Issued second = tokens.rotate(first.token());

        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.stored().familyId()).isEqualTo(first.stored().familyId());
        assertThat(second.stored().userId()).isEqualTo(user);
        assertThat(tokens.rotate(second.token()).stored().familyId()).isEqualTo(first.stored().familyId());
    }

    @Test
    void reusingAUsedTokenRevokesTheWholeFamily() {
        RefreshTokens.Issued first = tokens.issue(user, "orders");
        RefreshTokens.Issued second = tokens.rotate(first.token());
        RefreshTokens.Issued otherLogin = tokens.issue(user, "orders");

        assertThatThrownBy(() -> tokens.rotate(first.token())).isInstanceOf(OAuthError.class)
                .hasMessageContaining("already used");
        assertThatThrownBy(() -> tokens.rotate(second.token())).isInstanceOf(OAuthError.class)
                .hasMessageContaining("revoked");
        assertThat(tokens.rotate(otherLogin.token())).as("another family is untouched").isNotNull();
    }

    @Test
    void anExpiredOrUnknownTokenIsAnInvalidGrant() {
        RefreshTokens.Issued issued = tokens.issue(user, "orders");
        clock.advance(Duration.ofDays(14));

        assertThatThrownBy(() -> tokens.rotate(issued.token()))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> tokens.rotate("nonsense")).isInstanceOf(OAuthError.class);
    }

    @Test
    void revokingATokenRevokesItsFamilyAndUnknownTokensAreIgnored() {
        RefreshTokens.Issued first = tokens.issue(user, "orders");
        RefreshTokens.Issued second = tokens.rotate(first.token());

        tokens.revoke(first.token());
        tokens.revoke("unknown");

        assertThatThrownBy(() -> tokens.rotate(second.token())).isInstanceOf(OAuthError.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void purgesTokensADayPastTheirExpiry() {
        tokens.issue(user, "orders");
        clock.advance(Duration.ofDays(15).minusSeconds(1));
        assertThat(tokens.purgeExpired()).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.purgeExpired()).isEqualTo(1);
        assertThat(repository.tokens).isEmpty();
    }
}
