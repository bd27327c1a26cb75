package dev.bazaar.identity;

import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.InvalidTokenException;
import dev.bazaar.kit.security.TokenValidator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {
    // Tokens are checked by Helidon against the real time, so the test's clock starts now.
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final InMemorySigningKeyRepository repository = new InMemorySigningKeyRepository();
    static final String KEK = Base64.getEncoder().encodeToString(new byte[32]);
    final SigningKeys keys = new SigningKeys(repository, new SealedKeys(KEK), Duration.ofMinutes(5),
            Duration.ofMinutes(1), clock);
    final AccessTokens tokens = new AccessTokens(keys, "http://issuer", Duration.ofMinutes(5), clock);
    final TokenValidator verifier = ownKeys("http://issuer", "orders");

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
        assertThat(verifier.validate(token).subject()).as("signed before rotation, still valid").isEqualTo("user-1");
        clock.advance(Duration.ofMinutes(6).minusSeconds(1));
        assertThat(kids()).containsExactly(fresh, old);
        clock.advance(Duration.ofSeconds(1));
        assertThat(kids()).containsExactly(fresh);
    }

    @Test
    void aRetiredKeyIsDeletedPrivateHalfIncludedOnceNoTokenItSignedCanBeValid() {
        keys.ensureActive();
        String old = keys.signer().kid();
        String fresh = keys.rotate();

        clock.advance(Duration.ofMinutes(6).minusSeconds(1));
        assertThat(keys.purgeRetired()).isZero();
        assertThat(repository.keys).extracting(SigningKey::kid).containsExactlyInAnyOrder(old, fresh);
        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.purgeRetired()).isEqualTo(1);
        assertThat(repository.keys).extracting(SigningKey::kid).containsExactly(fresh);
        assertThat(keys.signer().kid()).isEqualTo(fresh);
    }

    @Test
    void privateKeysAreStoredSealedAndOnlyTheRightKeyEncryptionKeyOpensThem() throws Exception {
        keys.ensureActive();
        SigningKey stored = repository.keys.getFirst();
        byte[] pkcs8 = keys.signer().privateKey().getEncoded();

        assertThat(stored.privateKey()[0]).as("sealed, not a DER sequence").isEqualTo((byte) 1);
        assertThat(indexOf(stored.privateKey(), java.util.Arrays.copyOfRange(pkcs8, 30, 60))).isNegative();
        byte[] otherKek = new byte[32];
        otherKek[0] = 1;
        SigningKeys wrongKek = new SigningKeys(repository, new SealedKeys(Base64.getEncoder().encodeToString(otherKek)),
                Duration.ofMinutes(5), Duration.ofMinutes(1), clock);
        assertThatThrownBy(wrongKek::ensureActive).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("identity.key-encryption-key is not the key it was sealed with");
        assertThatThrownBy(() -> new SealedKeys(KEK).open("another-kid", stored.privateKey()))
                .as("the kid is bound to the sealed key").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyStoredUnsealedBeforeIsSealedAtStart() {
        keys.ensureActive();
        SigningKey sealed = repository.keys.getFirst();
        byte[] pkcs8 = keys.signer().privateKey().getEncoded();
        repository.updatePrivateKey(sealed.kid(), pkcs8);

        SigningKeys restarted = new SigningKeys(repository, new SealedKeys(KEK), Duration.ofMinutes(5),
                Duration.ofMinutes(1), clock);
        restarted.ensureActive();

        assertThat(repository.keys.getFirst().privateKey()[0]).isEqualTo((byte) 1);
        assertThat(restarted.signer().privateKey().getEncoded()).isEqualTo(pkcs8);
    }

    @Test
    void aKeyEncryptionKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> new SealedKeys("not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> new SealedKeys(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void mintedTokensPassTheKitsValidationOnIdentitysOwnKeys() {
        keys.ensureActive();
        String token = tokens.mint("user-1", List.of("customer", "admin"), "orders").token();

        assertThat(verifier.validate(token)).isEqualTo(new Caller("user-1", Set.of("customer", "admin")));
        assertUnauthorized(ownKeys("http://other", "orders"), token);
        assertUnauthorized(ownKeys("http://issuer", "other"), token);
        assertUnauthorized(verifier, tamperedPayload(token));
        assertUnauthorized(verifier, token.substring(0, token.lastIndexOf('.')) + ".");
        assertUnauthorized(verifier, "garbage");
    }

    @Test
    void aKeyRotatedInIsTrustedAtOnce() {
        keys.ensureActive();
        verifier.validate(tokens.mint("user-1", List.of("customer"), "orders").token());
        keys.rotate();
        assertThat(verifier.validate(tokens.mint("user-2", List.of("customer"), "orders").token()).subject())
                .isEqualTo("user-2");
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

    private TokenValidator ownKeys(String issuer, String audience) {
        return TokenValidator.overOwnKeys(issuer, audience, keys::jwksDocument);
    }

    private static void assertUnauthorized(TokenValidator verifier, String token) {
        assertThatThrownBy(() -> verifier.validate(token)).isInstanceOf(InvalidTokenException.class);
    }

}
