package dev.bazaar.kit.security;

import io.helidon.common.configurable.Resource;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.ProviderRequest;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.providers.jwt.JwtProvider;
import io.helidon.security.spi.AuthenticationProvider;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Helidon's {@link JwtProvider}, extended with what it lacks for identity's access tokens. Helidon's provider checks
 * the signature against a JWKS, {@code crit}, {@code sub}, {@code aud}, and {@code exp}/{@code nbf}/{@code iat}
 * when present (5 s leeway), and turns {@code groups} into roles; but it reads its JWKS once, accepts a token without
 * {@code exp}, does not check {@code iss} and lets the token's header choose the algorithm. So before delegating,
 * this provider
 * <ul>
 *     <li>pins the algorithm to RS256 and requires a {@code kid} ({@code alg: none} or HS256 "signed" with the public
 *     key never reach a key);</li>
 *     <li>reads identity's JWKS again when the {@code kid} is unknown (rate-limited by {@link JwksKeys}) and then
 *     rebuilds the delegate on the new key set, so a key rotation needs no restart;</li>
 *     <li>refuses a token without {@code exp} or {@code sub}, and one from another issuer or for another audience
 *     (the latter only to word the refusal plainly).</li>
 * </ul>
 * A refusal is a {@code FAILURE} whose description is safe to show the caller; when identity's keys cannot be read
 * at all the failure carries a {@link JwksKeys.KeysUnavailableException} (not the caller's fault: a 503, not a 401).
 */
final class IdentityJwtProvider implements AuthenticationProvider {
    private static final Pattern HELIDON_DECORATION = Pattern.compile("^(FATAL|WARN|HINT): | at (class )?[\\w.$]+(@\\p{XDigit}+)?$");
    private final String issuer;
    private final String audience;
    private final JwksKeys keys;
    private volatile Delegate delegate = new Delegate(JwksKeys.KeySet.EMPTY, null);

    /** Helidon's provider for one key set; rebuilt when the set changes. */
    private record Delegate(JwksKeys.KeySet keys, JwtProvider provider) {
    }

    IdentityJwtProvider(String issuer, String audience, JwksKeys keys) {
        this.issuer = issuer;
        this.audience = audience;
        this.keys = keys;
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        Optional<String> token = TokenValidator.bearerToken(request.env().headers());
        if (token.isEmpty()) {
            return failure("a bearer access token is required");
        }
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token.get());
        } catch (RuntimeException e) {
            return failure("malformed token");
        }
        Jwt jwt = signed.getJwt();
        if (!TokenValidator.ALGORITHM.equals(jwt.algorithm().orElse(null))) {
            return failure("token algorithm must be " + TokenValidator.ALGORITHM);
        }
        String kid = jwt.keyId().orElse("");
        if (kid.isEmpty()) {
            return failure("token has no key id (kid)");
        }
        if (jwt.expirationTime().isEmpty()) {
            return failure("token has no expiry (exp)");
        }
        if (jwt.subject().filter(subject -> !subject.isBlank()).isEmpty()) {
            return failure("token has no subject (sub)");
        }
        if (!issuer.equals(jwt.issuer().orElse(null))) {
            return failure("token issuer is not accepted");
        }
        if (!jwt.audience().orElse(List.of()).contains(audience)) {
            return failure("token audience is not accepted"); // Helidon checks too, but words it with an Optional[…]
        }
        JwtProvider provider;
        try {
            provider = providerWith(kid);
        } catch (JwksKeys.KeysUnavailableException e) {
            return AuthenticationResponse.builder().status(AuthenticationResponse.SecurityStatus.FAILURE)
                    .description("identity's signing keys are not available").throwable(e).build();
        }
        if (provider == null) {
            return failure("token signed with an unknown key");
        }
        AuthenticationResponse response = provider.authenticate(request);
        return response.status().isSuccess() ? response : failure(helidonReason(response));
    }

    /** Helidon's provider on a key set holding {@code kid}, or null when identity does not publish that key. */
    private JwtProvider providerWith(String kid) {
        JwksKeys.KeySet current = keys.keysWith(kid);
        if (!current.kids().contains(kid)) {
            return null;
        }
        Delegate known = delegate;
        if (known.keys() != current) {
            known = new Delegate(current, helidonProvider(current));
            delegate = known;
        }
        return known.provider();
    }

    private JwtProvider helidonProvider(JwksKeys.KeySet keySet) {
        JwtProvider.Builder builder = JwtProvider.builder()
                .verifySignature(true)
                .allowUnsigned(false)
                .propagate(false)
                .optional(false)
                .useJwtGroups(true)
                .verifyJwk(Resource.create("identity JWKS", keySet.jwks().getBytes(StandardCharsets.UTF_8)));
        builder.expectedAudience(audience);
        return builder.build();
    }

    /**
     * Helidon's own reason, its first validator message without the severity and the source object
     * ({@code "FATAL: Token no longer valid, expiration: … at io.helidon.security.jwt.Jwt@1b2c"}).
     */
    private static String helidonReason(AuthenticationResponse response) {
        String first = response.description().orElse("").strip().lines().findFirst().orElse("");
        first = HELIDON_DECORATION.matcher(first).replaceAll("").strip();
        return first.isEmpty() ? "token is not valid" : first;
    }

    private static AuthenticationResponse failure(String description) {
        return AuthenticationResponse.builder().status(AuthenticationResponse.SecurityStatus.FAILURE)
                .description(description).build();
    }
}
