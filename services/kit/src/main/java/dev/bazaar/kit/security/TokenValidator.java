package dev.bazaar.kit.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazaar.kit.Failure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Verifies identity's access tokens, the one place that does so for HTTP ({@link HttpSecurity}) and NATS
 * ({@link NatsSecurity}) alike: a compact JWS whose algorithm is <em>pinned</em> to RS256 (so {@code alg: none} or an
 * HMAC "signed" with the public key never gets near a key), signed by a key from identity's JWKS named by {@code kid}
 * (an unknown {@code kid} refetches the JWKS, rate-limited), with the configured {@code iss} and {@code aud}, a
 * required {@code exp}, {@code nbf} and {@code iat} checked with leeway, and a {@code sub}. Roles are the
 * {@code groups} claim. Thread-safe.
 */
public final class TokenValidator {
    /** The only signature algorithm accepted. */
    public static final String ALGORITHM = "RS256";
    private static final String BEARER = "bearer ";

    private final SecuritySettings settings;
    private final JwksKeys keys;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    TokenValidator(SecuritySettings settings, JwksKeys keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    /** A validator reading keys from {@code settings.jwksUri()} on first use (never at construction). */
    public static TokenValidator create(SecuritySettings settings) {
        return new TokenValidator(settings, new JwksKeys(settings.jwksUri(), settings.jwksRefreshMinimum()),
                Clock.systemUTC());
    }

    public SecuritySettings settings() {
        return settings;
    }

    /**
     * The caller an {@code Authorization} header value names.
     *
     * @throws InvalidTokenException no header ({@link InvalidTokenException#isMissing()}), not a bearer token, or a
     *                               token {@link #validate} refuses
     * @throws Failure               {@code UNAVAILABLE} when identity's keys cannot be read
     */
    public Caller fromAuthorization(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw InvalidTokenException.noToken();
        }
        String value = authorization.strip();
        if (value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw InvalidTokenException.invalid("the Authorization header must be 'Bearer <access token>'");
        }
        return validate(value.substring(BEARER.length()).strip());
    }

    /**
     * The caller an access token names.
     *
     * @throws InvalidTokenException when the token is not acceptable, with a caller-safe reason
     * @throws Failure               {@code UNAVAILABLE} when identity's keys cannot be read
     */
    public Caller validate(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw InvalidTokenException.invalid("malformed token");
        }
        JsonNode header = json(parts[0]);
        if (!ALGORITHM.equals(header.path("alg").asText(null))) {
            throw InvalidTokenException.invalid("token algorithm must be " + ALGORITHM);
        }
        if (header.has("crit")) {
            throw InvalidTokenException.invalid("token has critical header parameters this service does not know");
        }
        String kid = header.path("kid").asText("");
        if (kid.isEmpty()) {
            throw InvalidTokenException.invalid("token has no key id (kid)");
        }
        RSAPublicKey key;
        try {
            key = keys.key(kid).orElseThrow(() -> InvalidTokenException.invalid("token signed with an unknown key"));
        } catch (JwksKeys.KeysUnavailableException e) {
            throw Failure.unavailable("cannot verify tokens: identity's signing keys are not available");
        }
        verifySignature(parts, key);
        JsonNode claims = json(parts[1]);
        checkClaims(claims);
        return new Caller(claims.path("sub").asText(), roles(claims.path("groups")));
    }

    private static void verifySignature(String[] parts, RSAPublicKey key) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw InvalidTokenException.invalid("token signature is invalid");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw InvalidTokenException.invalid("token signature is invalid");
        }
    }

    private void checkClaims(JsonNode claims) {
        if (!settings.issuer().equals(claims.path("iss").asText(null))) {
            throw InvalidTokenException.invalid("token issuer is not accepted");
        }
        if (!audienceMatches(claims.path("aud"))) {
            throw InvalidTokenException.invalid("token audience is not accepted");
        }
        long now = clock.instant().getEpochSecond();
        long leeway = settings.leeway().toSeconds();
        JsonNode exp = claims.path("exp");
        if (!exp.isNumber()) {
            throw InvalidTokenException.invalid("token has no expiry (exp)");
        }
        if (now > exp.asLong() + leeway) {
            throw InvalidTokenException.invalid("token expired at " + Instant.ofEpochSecond(exp.asLong()));
        }
        if (claims.has("nbf") && (!claims.get("nbf").isNumber() || claims.get("nbf").asLong() > now + leeway)) {
            throw InvalidTokenException.invalid("token is not valid yet (nbf)");
        }
        if (claims.has("iat") && (!claims.get("iat").isNumber() || claims.get("iat").asLong() > now + leeway)) {
            throw InvalidTokenException.invalid("token is issued in the future (iat)");
        }
        if (claims.path("sub").asText("").isBlank()) {
            throw InvalidTokenException.invalid("token has no subject (sub)");
        }
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud.isTextual()) {
            return settings.audience().equals(aud.asText());
        }
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (settings.audience().equals(one.asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> roles(JsonNode groups) {
        Set<String> roles = new LinkedHashSet<>();
        if (groups.isArray()) {
            groups.forEach(group -> {
                if (group.isTextual()) {
                    roles.add(group.asText());
                }
            });
        }
        return roles;
    }

    private JsonNode json(String part) {
        try {
            JsonNode node = mapper.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw InvalidTokenException.invalid("malformed token");
            }
            return node;
        } catch (IllegalArgumentException | IOException e) {
            throw InvalidTokenException.invalid("malformed token");
        }
    }
}
