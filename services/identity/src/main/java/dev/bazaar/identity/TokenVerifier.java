package dev.bazaar.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazaar.kit.Failure;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Verifies identity's own access tokens against its current JWKS, for the one route identity protects itself
 * ({@code /admin/keys/rotate}); other services use the kit's validator. Only RS256 with a known {@code kid};
 * {@code exp} is required (Helidon's provider would accept a token without one); {@code iss} and {@code aud} must match.
 */
public final class TokenVerifier {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public TokenVerifier(SigningKeys keys, String issuer, String audience, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** The verified token's subject and groups. */
    public record Verified(String subject, List<String> groups) {
    }

    /** The token's claims, or a 401 {@link Failure} (never saying which check failed). */
    public Verified verify(String token) {
        try {
            return check(token);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof Failure f) {
                throw f;
            }
            throw unauthorized();
        }
    }

    private Verified check(String token) throws IOException, GeneralSecurityException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw unauthorized();
        }
        JsonNode header = MAPPER.readTree(B64.decode(parts[0]));
        if (!SigningKeys.ALGORITHM.equals(header.path("alg").asText())) {
            throw unauthorized();
        }
        String kid = header.path("kid").asText();
        Map<String, Object> jwk = keys.publicJwks().stream()
                .filter(k -> kid.equals(k.get("kid"))).findFirst().orElseThrow(TokenVerifier::unauthorized);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(publicKey(jwk));
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!rsa.verify(B64.decode(parts[2]))) {
            throw unauthorized();
        }
        JsonNode claims = MAPPER.readTree(B64.decode(parts[1]));
        Instant now = clock.instant();
        boolean audienceMatches = claims.path("aud").isArray()
                ? contains(claims.path("aud"), audience)
                : audience.equals(claims.path("aud").asText());
        if (!issuer.equals(claims.path("iss").asText()) || !audienceMatches
                || !claims.path("exp").canConvertToLong()
                || !Instant.ofEpochSecond(claims.path("exp").asLong()).plus(SKEW).isAfter(now)
                || (claims.has("nbf") && Instant.ofEpochSecond(claims.path("nbf").asLong()).minus(SKEW).isAfter(now))) {
            throw unauthorized();
        }
        List<String> groups = new ArrayList<>();
        claims.path("groups").forEach(g -> groups.add(g.asText()));
        return new Verified(claims.path("sub").asText(), groups);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static PublicKey publicKey(Map<String, Object> jwk) throws GeneralSecurityException {
        BigInteger n = new BigInteger(1, B64.decode((String) jwk.get("n")));
        BigInteger e = new BigInteger(1, B64.decode((String) jwk.get("e")));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    private static Failure unauthorized() {
        return new Failure(Failure.Kind.UNAUTHORIZED, "a valid bearer token is required");
    }
}
