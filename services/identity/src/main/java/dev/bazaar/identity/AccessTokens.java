package dev.bazaar.identity;

import dev.bazaar.kit.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints access tokens: RS256 JWTs with {@code kid}, signed by the active key, carrying {@code iss}, {@code aud} (the
 * granted scopes: each scope names the service it opens, and each service accepts only tokens whose {@code aud}
 * names it, so a token granted {@code orders catalog} that catalog receives cannot be replayed at payments),
 * {@code sub}, {@code exp}, {@code iat}, {@code nbf}, {@code jti}, {@code groups} (the roles; Helidon's JWT provider
 * maps them to roles) and {@code scope}.
 */
public final class AccessTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;
    private final String issuer;
    private final Duration ttl;
    private final Clock clock;

    public AccessTokens(SigningKeys keys, String issuer, Duration ttl, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A signed token and its lifetime in seconds. */
    public record Minted(String token, long expiresIn) {
    }

    public Minted mint(String subject, List<String> groups, String scope) {
        SigningKeys.Signer signer = keys.signer();
        Instant now = clock.instant();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", SigningKeys.ALGORITHM);
        header.put("typ", "JWT");
        header.put("kid", signer.kid());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+")));
        claims.put("sub", subject);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("groups", groups);
        claims.put("scope", scope);
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(signer.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return new Minted(signingInput + "." + B64.encodeToString(rsa.sign()), ttl.toSeconds());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String encode(Map<String, Object> json) {
        return B64.encodeToString(Json.codec().encode(json)); // the one JSON configuration
    }
}
