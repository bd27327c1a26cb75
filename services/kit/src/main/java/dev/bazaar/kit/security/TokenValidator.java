package dev.bazaar.kit.security;

import dev.bazaar.contracts.Failure;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import io.helidon.security.SecurityEnvironment;
import io.helidon.security.Subject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Authenticates identity's access tokens with Helidon Security, the one place that does so for HTTP
 * ({@link HttpSecurity}) and NATS ({@link NatsSecurity}) alike. A {@link Security} instance holds one
 * authentication provider, {@link IdentityJwtProvider} (Helidon's JWT provider extended with a pinned RS256, a
 * required {@code exp} and {@code iss}, and a JWKS read again on an unknown {@code kid}); each check runs in its own
 * {@link SecurityContext}, whose subject becomes the {@link Caller}: {@code sub} and the {@code groups} as roles.
 * A token accepted once is accepted again from {@link VerifiedTokens} while it is unexpired and its key still
 * trusted, without verifying its signature again. Thread-safe.
 */
public final class TokenValidator {
    /** The only signature algorithm accepted. */
    public static final String ALGORITHM = "RS256";
    private static final String AUTHORIZATION = "Authorization";
    private static final String PROVIDER = "identity-jwt";

    private final Security security;
    private final VerifiedTokens verified;

    TokenValidator(String issuer, String audience, JwksKeys keys) {
        this.security = Security.builder()
                .addAuthenticationProvider(new IdentityJwtProvider(issuer, audience, keys), PROVIDER)
                .build();
        this.verified = new VerifiedTokens(keys);
    }

    /** A validator reading identity's keys from {@code settings.jwksUri()} on first use (never at construction). */
    public static TokenValidator create(SecuritySettings settings) {
        return new TokenValidator(settings.issuer(), settings.audience(),
                JwksKeys.http(settings.jwksUri(), settings.jwksRefreshMinimum(), settings.jwksRefreshInterval(),
                        settings.jwksTimeouts()));
    }

    /**
     * A validator on keys this process holds — identity checking its own tokens: {@code jwks} gives the current
     * JWKS document and is read again on every unknown {@code kid} (no network, so no rate limit) and when older
     * than the default refresh interval.
     */
    public static TokenValidator overOwnKeys(String issuer, String audience, Supplier<String> jwks) {
        return new TokenValidator(issuer, audience, new JwksKeys("the service's own keys", jwks::get, Duration.ZERO,
                SecuritySettings.DEFAULT_REFRESH_INTERVAL));
    }

    /**
     * The caller an {@code Authorization} header value names.
     *
     * @throws InvalidTokenException no header ({@link InvalidTokenException#isMissing()}), not a bearer token, or a
     *                               token the provider refuses, with its caller-safe reason
     * @throws Failure               {@code UNAVAILABLE} when identity's keys cannot be read
     */
    public Caller fromAuthorization(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw InvalidTokenException.noToken();
        }
        String token = bearerToken(Map.of(AUTHORIZATION, List.of(authorization))).orElseThrow(() ->
                InvalidTokenException.invalid("the Authorization header must be 'Bearer <access token>'"));
        Instant now = Instant.now();
        Optional<Caller> known = verified.get(token, now);
        if (known.isPresent()) {
            return known.get();
        }
        SecurityContext context = security.contextBuilder(UUID.randomUUID().toString())
                .env(SecurityEnvironment.builder().header(AUTHORIZATION, authorization.strip()).build())
                .build();
        AuthenticationResponse response = context.atnClientBuilder().submit();
        if (response.throwable().filter(JwksKeys.KeysUnavailableException.class::isInstance).isPresent()) {
            throw Failure.unavailable("cannot verify tokens: identity's signing keys are not available");
        }
        Subject user = context.user().filter(subject -> response.status().isSuccess())
                .orElseThrow(() -> InvalidTokenException.invalid(response.description().orElse("token is not valid")));
        Caller caller = new Caller(user.principal().id(), Security.getRoles(user));
        verified.put(token, caller, now);
        return caller;
    }

    /** The caller an access token names; see {@link #fromAuthorization}. */
    public Caller validate(String token) {
        return fromAuthorization(BearerHeader.of(token));
    }

    /** The token of a well-formed {@code Authorization: Bearer <token>} header among {@code headers}. */
    static Optional<String> bearerToken(Map<String, List<String>> headers) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(AUTHORIZATION))
                .flatMap(header -> header.getValue().stream())
                .flatMap(value -> BearerHeader.token(value).stream())
                .findFirst();
    }
}
