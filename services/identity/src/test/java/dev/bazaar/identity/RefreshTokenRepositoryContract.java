package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link RefreshTokenRepository} guarantees; run against the fake and against PostgreSQL. */
abstract class RefreshTokenRepositoryContract {
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    abstract RefreshTokenRepository tokens();

    /** The id of a stored user (tokens belong to one). */
    abstract UUID user();

    @Test
    void findsAStoredTokenByItsHash() {
        RefreshToken token = token(UUID.randomUUID(), now.plus(Duration.ofDays(1)));

        tokens().insert(token);

        assertThat(tokens().find(token.hash())).get().usingRecursiveComparison().isEqualTo(token);
        assertThat(tokens().find(hash())).isEmpty();
    }

    @Test
    void aTokenIsUsedOnce() {
        RefreshToken token = token(UUID.randomUUID(), now.plus(Duration.ofDays(1)));
        tokens().insert(token);

        assertThat(tokens().markUsed(token.hash(), now)).isTrue();
        assertThat(tokens().markUsed(token.hash(), now.plusSeconds(1))).isFalse();

        assertThat(tokens().find(token.hash()).orElseThrow().usedAt()).isEqualTo(now);
    }

    @Test
    void revokesEveryTokenOfTheFamilyAndNoOther() {
        UUID family = UUID.randomUUID();
        RefreshToken used = token(family, now.plus(Duration.ofDays(1)));
        RefreshToken live = token(family, now.plus(Duration.ofDays(1)));
        RefreshToken other = token(UUID.randomUUID(), now.plus(Duration.ofDays(1)));
        tokens().insert(used);
        tokens().insert(live);
        tokens().insert(other);
        tokens().markUsed(used.hash(), now);

        tokens().revokeFamily(family, now.plusSeconds(1));
        tokens().revokeFamily(family, now.plusSeconds(2));

        assertThat(tokens().find(used.hash()).orElseThrow().revokedAt()).isEqualTo(now.plusSeconds(1));
        assertThat(tokens().find(live.hash()).orElseThrow().revokedAt()).isEqualTo(now.plusSeconds(1));
        assertThat(tokens().find(other.hash()).orElseThrow().revokedAt()).isNull();
        assertThat(tokens().markUsed(live.hash(), now.plusSeconds(3))).as("a revoked token is not used").isFalse();
    }

    @Test
    void deletesTheTokensThatExpired() {
        RefreshToken expired = token(UUID.randomUUID(), now.minusSeconds(1));
        RefreshToken live = token(UUID.randomUUID(), now.plus(Duration.ofDays(1)));
        tokens().insert(expired);
        tokens().insert(live);

        assertThat(tokens().deleteExpired(now)).isGreaterThanOrEqualTo(1);

        assertThat(tokens().find(expired.hash())).isEmpty();
        assertThat(tokens().find(live.hash())).isPresent();
    }

    @Test
    void aFamilysWorkCommitsWhenItReturnsAndRollsBackWhenItThrows() {
        UUID family = UUID.randomUUID();
        RefreshToken kept = token(family, now.plus(Duration.ofDays(1)));
        RefreshToken dropped = token(family, now.plus(Duration.ofDays(1)));

        boolean used = tokens().lockingFamily(family, tx -> {
            tx.insert(kept);
            return tx.markUsed(kept.hash(), now);
        });
        assertThat(used).isTrue();
        assertThatThrownBy(() -> tokens().lockingFamily(family, tx -> {
            tx.insert(dropped);
            tx.revokeFamily(family, now);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(tokens().find(kept.hash()).orElseThrow().usedAt()).isEqualTo(now);
        assertThat(tokens().find(kept.hash()).orElseThrow().revokedAt()).isNull();
        assertThat(tokens().find(dropped.hash())).isEmpty();
    }

    RefreshToken token(UUID family, Instant expiresAt) {
        return new RefreshToken(hash(), family, user(), "orders", now.minusSeconds(60), expiresAt, null, null);
    }

    static byte[] hash() {
        return UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    }
}
