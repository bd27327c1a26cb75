package dev.bazaar.kit.security;

import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.Problems;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Arrays;
import java.util.Optional;

/**
 * Bearer-token authentication for a service's webserver. The filter {@link #register}ed by {@code HttpServers} right
 * after the tracing filter authenticates any {@code Authorization: Bearer} header through Helidon Security
 * ({@link TokenValidator}) and keeps the {@link Caller} in the request context; a bad bearer token is a 401 wherever
 * it is sent (other schemes are left to the routes), and every {@code /admin} path needs role {@code admin}.
 * Routes then say what they need with {@link #authenticated()} or
 * {@link #rolesAllowed(String...)} in front of their handler, and read the caller with {@link #caller}.
 * Every 401 carries {@code WWW-Authenticate: Bearer realm="bazaar"} (plus {@code error="invalid_token"} and a
 * description when a token was sent) and every 401/403 is problem+json — which is why this filter calls Helidon
 * Security itself instead of using helidon-webserver-security's handler, whose refusals have no body.
 */
public final class HttpSecurity {
    /** The realm in every {@code WWW-Authenticate} challenge. */
    public static final String REALM = "bazaar";
    /** The challenge of every 401, to which a refused token adds its error (RFC 6750 §3). */
    public static final String CHALLENGE = "Bearer realm=\"" + REALM + "\"";
    private static final String ADMIN_PATH = "/admin";

    private final TokenValidator validator;

    public HttpSecurity(TokenValidator validator) {
        this.validator = validator;
    }

    public TokenValidator validator() {
        return validator;
    }

    /**
     * Installs the filter and the 401 error handler on a routing. Refusals are thrown (a filter that writes its own
     * response is refused by Helidon 4.3's filter chain) and answered by the routing's error handlers.
     */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter(filter())
                .error(InvalidTokenException.class, HttpSecurity::unauthorized);
    }

    /** Authenticates every request that carries a token, and guards {@code /admin/**}. */
    private Filter filter() {
        return (chain, req, res) -> {
            String path = req.path().absolute().path();
            boolean admin = path.equals(ADMIN_PATH) || path.startsWith(ADMIN_PATH + "/");
            // Another scheme (Basic to identity's token endpoint, say) is not ours to judge: a route that needs a
            // bearer token then answers as if none was sent, a challenge without error (RFC 6750 §3.1).
            Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION)
                    .filter(BearerHeader::isBearerScheme);
            if (authorization.isPresent()) {
                req.context().register(validator.fromAuthorization(authorization.get()));
            }
            if (admin) {
                require(req, Caller.ADMIN);
            }
            chain.proceed();
        };
    }

    /** A route guard: any valid token. */
    public static Handler authenticated() {
        return (req, res) -> {
            require(req);
            res.next();
        };
    }

    /** A route guard: a valid token with at least one of {@code roles}; otherwise 401 (no token) or 403. */
    public static Handler rolesAllowed(String... roles) {
        String[] allowed = roles.clone();
        return (req, res) -> {
            require(req, allowed);
            res.next();
        };
    }

    private static void require(ServerRequest req, String... anyOfRoles) {
        Caller caller = current(req).orElseThrow(InvalidTokenException::noToken);
        if (anyOfRoles.length > 0 && !caller.hasAnyRole(anyOfRoles)) {
            throw new Failure(Failure.Kind.FORBIDDEN, "requires role " + String.join(" or ", Arrays.asList(anyOfRoles)));
        }
    }

    /**
     * The authenticated caller of a request behind {@link #authenticated()} or {@link #rolesAllowed}.
     *
     * @throws Failure {@code UNAUTHORIZED} when the request carried no valid token
     */
    public static Caller caller(ServerRequest req) {
        return current(req).orElseThrow(() -> new Failure(Failure.Kind.UNAUTHORIZED, "a bearer access token is required"));
    }

    /** The raw access token of an authenticated request, to forward on the caller's behalf (e.g. over NATS). */
    public static String accessToken(ServerRequest req) {
        caller(req);
        return BearerHeader.token(req.headers().first(HeaderNames.AUTHORIZATION).orElseThrow()).orElseThrow();
    }

    private static Optional<Caller> current(ServerRequest req) {
        return req.context().get(Caller.class);
    }

    private static void unauthorized(ServerRequest req, ServerResponse res, InvalidTokenException e) {
        res.header(HeaderNames.WWW_AUTHENTICATE, challenge(e));
        Problems.send(req, res, Failure.Kind.UNAUTHORIZED, e.getMessage());
    }

    /** RFC 6750 §3: no {@code error} when the request had no token at all. */
    static String challenge(InvalidTokenException e) {
        if (e.isMissing()) {
            return CHALLENGE;
        }
        return CHALLENGE + ", error=\"invalid_token\", error_description=\"" + quoted(e.getMessage()) + "\"";
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
