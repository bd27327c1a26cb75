package dev.bazaar.identity;

import dev.bazaar.kit.Failure;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemorySigningKeyRepository repository = new InMemorySigningKeyRepository();
    final SigningKeys keys = new SigningKeys(repository, Duration.ofMinutes(5), Duration.ofMinutes(1), clock);
    final AccessTokens tokens = new AccessTokens(keys, "http://issuer", "bazaar", Duration.ofMinutes(5), clock);
    final TokenVerifier verifier = new TokenVerifier(keys, "http://issuer", "bazaar", clock);

    @Test
    void createsOneKeyAtFirstStartOnly() {
        keys.ensureActive();
        keys.ensureActive();

        assertThat(repository.keys).hasSize(1);
        assertThat(keys.publicJwks()).singleElement().satisfies(jwk -> {
            assertThat(jwk).containsEntry("alg", "RS256").containsEntry("use", "sig").containsEntry("kty", "RSA");
            assertThat(jwk).containsKeys("kid", "n", "e").doesNotContainKeys("d", "p", "q");
        });
    }

    @Test
    void aRetiredKeyIsPublishedUntilItsLastTokenExpiredPlusLeeway() {
        keys.ensureActive();
        String old = keys.signer().kid();
        String token = tokens.mint("user-1", List.of("customer"), "orders").token();

        String fresh = keys.rotate();

        assertThat(keys.signer().kid()).isEqualTo(fresh);
        assertThat(kids()).containsExactly(fresh, old);
        assertThat(verifier.verify(token).subject()).as("signed before rotation, still valid").isEqualTo("user-1");
        clock.advance(Duration.ofMinutes(6).minusSeconds(1));
        assertThat(kids()).containsExactly(fresh, old);
        clock.advance(Duration.ofSeconds(1));
        assertThat(kids()).containsExactly(fresh);
    }

    @Test
    void theVerifierChecksSignatureIssuerAudienceAndExpiry() {
        keys.ensureActive();
        String token = tokens.mint("user-1", List.of("customer", "admin"), "orders").token();

        assertThat(verifier.verify(token)).isEqualTo(new TokenVerifier.Verified("user-1", List.of("customer", "admin")));
        assertUnauthorized(new TokenVerifier(keys, "http://other", "bazaar", clock), token);
        assertUnauthorized(new TokenVerifier(keys, "http://issuer", "other", clock), token);
        assertUnauthorized(verifier, tamperedPayload(token));
        assertUnauthorized(verifier, token.substring(0, token.lastIndexOf('.')) + ".");
        assertUnauthorized(verifier, "garbage");
        clock.advance(Duration.ofMinutes(6));
        assertUnauthorized(verifier, token);
    }

    @Test
    void theVerifierRefusesUnsignedTokensAndTokensWithoutExpiry() {
        keys.ensureActive();
        String kid = keys.signer().kid();
        String none = b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") + "."
                + b64("{\"iss\":\"http://issuer\",\"aud\":\"bazaar\",\"sub\":\"x\",\"exp\":4102444800,\"groups\":[\"admin\"]}") + ".";

        assertUnauthorized(verifier, none);
    }

    private List<Object> kids() {
        return keys.publicJwks().stream().map(jwk -> (Object) jwk.get("kid")).toList();
    }

    private static String tamperedPayload(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"customer\"", "\"root\"");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUnauthorized(TokenVerifier verifier, String token) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAUTHORIZED));
    }

}
