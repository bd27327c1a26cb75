package dev.bazaar.kit.security;

import dev.bazaar.contracts.Failure;
import dev.bazaar.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validator and its cache of accepted tokens against the fixture's JWKS served over real HTTP. */
class TokenValidatorTest {
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
    void acceptsAGoodTokenWithItsSubjectAndRoles() {
        Caller caller = validator(Duration.ZERO).fromAuthorization("Bearer " + tokens.token("alice", "customer", "admin"));
        assertThat(caller.subject()).isEqualTo("alice");
        assertThat(caller.roles()).containsExactlyInAnyOrder("customer", "admin");
    }

    @Test
    void acceptsAnAudienceArrayThatContainsOurs() {
        Map<String, Object> claims = TestTokens.claims("alice", "customer");
        claims.put("aud", List.of("other", TestTokens.AUDIENCE));
        assertThat(validator(Duration.ZERO).validate(TestTokens.sign(tokens.key(), claims)).subject()).isEqualTo("alice");
    }

    @Test
    void toleratesClockSkewWithinHelidonsFiveSecondLeeway() {
        Map<String, Object> claims = TestTokens.claims("alice", "customer");
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 4);
        claims.put("nbf", now + 3);
        claims.put("exp", now - 3);
        assertThat(validator(Duration.ZERO).validate(TestTokens.sign(tokens.key(), claims)).subject()).isEqualTo("alice");
    }

    @Test
    void helidonsRefusalsAreWordedForTheCallerWithoutItsDecoration() {
        Map<String, Object> claims = TestTokens.claims("alice", "customer");
        claims.put("exp", Instant.now().getEpochSecond() - 60);
        assertThatThrownBy(() -> validator(Duration.ZERO).validate(TestTokens.sign(tokens.key(), claims)))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.getMessage())
                        .startsWith("Token no longer valid, expiration: ")
                        .doesNotContain("FATAL").doesNotContain("io.helidon"));
    }

    @Test
    void refusesCriticalHeadersAndMissingSubjectOrKid() {
        TokenValidator validator = validator(Duration.ZERO);
        Map<String, Object> claims = TestTokens.claims("alice", "customer");
        refused(() -> validator.validate(TestTokens.sign(tokens.key(),
                Map.of("alg", "RS256", "kid", tokens.key().kid(), "crit", List.of("exp")), claims)), "JWT must contain [exp]");
        refused(() -> validator.validate(TestTokens.sign(tokens.key(), Map.of("alg", "RS256"), claims)), "no key id");
        Map<String, Object> noSubject = TestTokens.claims("alice", "customer");
        noSubject.remove("sub");
        refused(() -> validator.validate(TestTokens.sign(tokens.key(), noSubject)), "no subject");
        refused(() -> validator.fromAuthorization("Basic abc"), "Bearer");
        assertThatThrownBy(() -> validator.fromAuthorization(null))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.isMissing()).isTrue());
    }

    @Test
    void refetchesTheKeysOnAnUnknownKidAtMostOncePerInterval() {
        TokenValidator validator = validator(Duration.ofHours(1));
        validator.validate(tokens.customer("alice")); // first fetch
        TestTokens.SigningKey rotated = TestTokens.newKey("rotated-" + System.nanoTime());
        tokens.addKey(rotated);
        refused(() -> validator.validate(TestTokens.sign(rotated, TestTokens.claims("alice", "customer"))),
                "unknown key");

        TokenValidator eager = validator(Duration.ZERO);
        eager.validate(tokens.customer("alice"));
        assertThat(eager.validate(TestTokens.sign(rotated, TestTokens.claims("bob", "customer"))).subject())
                .isEqualTo("bob");
    }

    @Test
    void aKeyIdentityNoLongerPublishesIsDroppedAtTheNextScheduledRefresh() throws Exception {
        TestTokens.SigningKey retired = TestTokens.newKey("retired-" + System.nanoTime());
        tokens.addKey(retired);
        String signedByRetired = TestTokens.sign(retired, TestTokens.claims("alice", "customer"));
        Duration interval = Duration.ofSeconds(4);
        TokenValidator validator = validator(Duration.ofHours(1), interval);
        long read = System.nanoTime();
        assertThat(validator.validate(signedByRetired).subject()).isEqualTo("alice");

        tokens.removeKey(retired);
        if (System.nanoTime() - read < interval.toNanos() / 2) { // unless this machine is very slow right now
            assertThat(validator.validate(signedByRetired).subject()).as("still within the refresh interval")
                    .isEqualTo("alice");
        }
        Thread.sleep(interval.toMillis() + 200);

        refused(() -> validator.validate(signedByRetired), "unknown key");
        assertThat(validator.validate(tokens.customer("bob")).subject()).as("the published key still works")
                .isEqualTo("bob");
    }

    @Test
    void unreachableKeysAreUnavailableNotUnauthorized() {
        TokenValidator validator = TokenValidator.create(new SecuritySettings(URI.create("http://127.0.0.1:9/jwks.json"),
                TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ofSeconds(10)));
        assertThatThrownBy(() -> validator.validate(tokens.customer("alice")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
    }

    @Test
    void aChallengeHasNoErrorWhenNoTokenWasSent() {
        assertThat(HttpSecurity.challenge(InvalidTokenException.noToken())).isEqualTo("Bearer realm=\"bazaar\"");
        assertThat(HttpSecurity.challenge(InvalidTokenException.invalid("token \"x\" expired")))
                .isEqualTo("Bearer realm=\"bazaar\", error=\"invalid_token\", error_description=\"token \\\"x\\\" expired\"");
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

    /** The keys of the fixture's JWKS, for the cache of accepted tokens ({@link VerifiedTokens}). */
    private static JwksKeys keys() {
        return JwksKeys.http(URI.create(tokens.jwksUri()), Duration.ZERO, Duration.ofHours(1),
                SecuritySettings.JwksTimeouts.defaults());
    }

    private static TokenValidator validator(Duration refreshMinimum) {
        return validator(refreshMinimum, Duration.ofHours(1));
    }

    private static TokenValidator validator(Duration refreshMinimum, Duration refreshInterval) {
        SecuritySettings settings = new SecuritySettings(URI.create(tokens.jwksUri()), TestTokens.ISSUER,
                TestTokens.AUDIENCE, refreshMinimum, refreshInterval, SecuritySettings.JwksTimeouts.defaults());
        return new TokenValidator(settings.issuer(), settings.audience(),
                JwksKeys.http(settings.jwksUri(), refreshMinimum, refreshInterval, settings.jwksTimeouts()));
    }

    private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.getMessage()).contains(reason));
    }
}
