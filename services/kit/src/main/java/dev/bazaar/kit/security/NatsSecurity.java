package dev.bazaar.kit.security;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.RequestContext;

import java.util.Arrays;
import java.util.Map;

/**
 * User identity over NATS request-reply. A request made on a user's behalf carries the user's access token in an
 * {@code Authorization: Bearer …} header ({@link #onBehalfOf}); the responder checks it with the same
 * {@link TokenValidator} as HTTP ({@link #caller}). Failures are {@link Failure}s, so the endpoint's error mapper
 * answers {@code Nats-Service-Error-Code} 401 or 403.
 */
public final class NatsSecurity {
    /** The header carrying the bearer token, named as in HTTP. */
    public static final String AUTHORIZATION = "Authorization";

    private final TokenValidator validator;

    public NatsSecurity(TokenValidator validator) {
        this.validator = validator;
    }

    /** Headers for a request on behalf of the holder of {@code accessToken}. */
    public static Map<String, String> onBehalfOf(String accessToken) {
        return Map.of(AUTHORIZATION, BearerHeader.of(accessToken));
    }

    /**
     * The verified caller of a request, who must have one of {@code anyOfRoles} (none given: any role).
     *
     * @throws Failure {@code UNAUTHORIZED} for a missing or invalid token, {@code FORBIDDEN} for a missing role,
     *                 {@code UNAVAILABLE} when identity's keys cannot be read
     */
    public Caller caller(RequestContext request, String... anyOfRoles) {
        Caller caller;
        try {
            caller = validator.fromAuthorization(request.header(AUTHORIZATION));
        } catch (InvalidTokenException e) {
            throw new Failure(Failure.Kind.UNAUTHORIZED, e.getMessage());
        }
        if (anyOfRoles.length > 0 && !caller.hasAnyRole(anyOfRoles)) {
            throw new Failure(Failure.Kind.FORBIDDEN, "requires role " + String.join(" or ", Arrays.asList(anyOfRoles)));
        }
        return caller;
    }
}
