package dev.bazaar.kit.security;

import dev.bazaar.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache of accepted tokens against the fixture's JWKS over real HTTP (a retired key is covered by
 * {@link TokenValidatorTest#aKeyIdentityNoLongerPublishesIsDroppedAtTheNextScheduledRefresh}, which goes through it).
 */
class VerifiedTokensTest {
    static TestTokens tokens;

    @BeforeAll
    static void start() {
        tokens = TestTokens.start();
    }

    @AfterAll
    static void stop() {
        tokens.close();
    }

    @Test
    void theSameTokenIsAcceptedAgainFromTheCache() {
        TokenValidator validator = new TokenValidator(TestTokens.ISSUER, TestTokens.AUDIENCE, keys());
        String token = tokens.customer("alice");
        Caller first = validator.validate(token);
        assertThat(validator.validate(token)).isSameAs(first);
        assertThat(validator.validate(tokens.customer("bob")).subject()).isEqualTo("bob");
    }

    @Test
    void aTokenIsRememberedOnlyUntilItExpires() {
        VerifiedTokens verified = new VerifiedTokens(keys());
        Map<String, Object> claims = TestTokens.claims("alice", "customer");
        Instant now = Instant.now();
        Instant expires = Instant.ofEpochSecond(now.getEpochSecond() + 60);
        claims.put("exp", expires.getEpochSecond());
        String token = TestTokens.sign(tokens.key(), claims);
        Caller alice = new Caller("alice", Set.of("customer"));

        verified.put(token, alice, now);
        assertThat(verified.get(token, now)).contains(alice);
        assertThat(verified.get(token, expires)).as("at exp: verified again (Helidon's leeway applies there)").isEmpty();
        assertThat(verified.size()).isZero();
    }

    @Test
    void anExpiredTokenIsNotRemembered() {
        VerifiedTokens verified = new VerifiedTokens(keys());
        Map<String, Object> claims = TestTokens.claims("alice", "customer");
        claims.put("exp", Instant.now().getEpochSecond() - 3); // within the leeway: accepted, but not cached
        String token = TestTokens.sign(tokens.key(), claims);
        verified.put(token, new Caller("alice", Set.of()), Instant.now());
        assertThat(verified.size()).isZero();
    }

    private static JwksKeys keys() {
        return JwksKeys.http(URI.create(tokens.jwksUri()), Duration.ZERO, Duration.ofHours(1));
    }
}
