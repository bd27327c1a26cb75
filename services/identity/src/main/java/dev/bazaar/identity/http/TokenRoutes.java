package dev.bazaar.identity.http;

import dev.bazaar.contracts.Failure;
import dev.bazaar.identity.OAuthError;
import dev.bazaar.identity.Throttled;
import dev.bazaar.identity.TokenService;
import dev.bazaar.kit.Problems;
import dev.bazaar.messaging.JsonCodec;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /oauth2}: the token endpoint (RFC 6749; form-encoded; password, client_credentials and refresh_token
 * grants) and revocation (RFC 7009). Errors are OAuth2 error bodies, not problem details.
 */
public final class TokenRoutes implements HttpService {
    private final TokenService tokens;
    private final ClientAddress clientAddress;

    public TokenRoutes(TokenService tokens, ClientAddress clientAddress) {
        this.tokens = tokens;
        this.clientAddress = clientAddress;
    }

    /**
     * Answers {@link OAuthError}s as RFC 6749 section 5.2 bodies, and {@link Throttled} refusals with
     * {@code Retry-After} (as OAuth2 bodies on this endpoint, problem details elsewhere); registered once on the
     * routing.
     */
    public static void registerErrors(HttpRouting.Builder routing) {
        routing.error(OAuthError.class, (req, res, e) -> {
            res.status(Status.create(e.status()));
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            if (e.status() == 401) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"bazaar\"");
            }
            if (e.retryAfter() != null) {
                res.header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()));
            }
            res.send(Map.of("error", e.error(), "error_description", e.getMessage()));
        });
        routing.error(Throttled.class, (req, res, e) -> {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()));
            if (req.path().absolute().path().startsWith("/oauth2/")) {
                res.status(Status.create(e.status())).header(HeaderNames.CACHE_CONTROL, "no-store");
                res.send(Map.of("error", e.oauthError(), "error_description", e.getMessage()));
            } else {
                Problems.send(req, res, Failure.Kind.ofStatus(e.status()), e.getMessage());
            }
        });
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/token", this::token)
                .post("/revoke", this::revoke);
    }

    private void token(ServerRequest req, ServerResponse res) {
        Map<String, String> form = form(req);
        String grantType = form.get("grant_type");
        TokenService.Tokens issued = switch (grantType == null ? "" : grantType) {
            case "password" -> tokens.password(form.get("username"), form.get("password"), form.get("scope"),
                    clientAddress(req));
            case "client_credentials" -> {
                String[] client = clientCredentials(req, form);
                yield tokens.clientCredentials(client[0], client[1], form.get("scope"), clientAddress(req));
            }
            case "refresh_token" -> tokens.refresh(form.get("refresh_token"), form.get("scope"));
            case "" -> throw OAuthError.invalidRequest("grant_type is required");
            default -> throw OAuthError.unsupportedGrantType(grantType);
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresIn());
        if (issued.refreshToken() != null) {
            body.put("refresh_token", issued.refreshToken());
        }
        body.put("scope", issued.scope());
        res.header(HeaderNames.CACHE_CONTROL, "no-store").header(HeaderValues.create("Pragma", "no-cache"));
        res.send(body);
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        Map<String, String> form = form(req);
        String token = form.get("token");
        if (token == null) {
            throw OAuthError.invalidRequest("token is required");
        }
        // Access tokens are short-lived JWTs and are not revocable here; an unknown token is no error (RFC 7009).
        tokens.revoke(token);
        res.status(Status.OK_200).send();
    }

    /** Client id and secret from HTTP Basic (RFC 6749 section 2.3.1) or else from the form. */
    private static String[] clientCredentials(ServerRequest req, Map<String, String> form) {
        var authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            if (form.containsKey("client_secret")) {
                // RFC 6749 section 2.3: a client must not use more than one authentication method per request.
                throw OAuthError.invalidRequest("use either HTTP Basic or client_secret, not both");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.get().substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("malformed Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient("malformed Basic credentials");
            }
            return new String[] {decode(decoded.substring(0, colon)), decode(decoded.substring(colon + 1))};
        }
        return new String[] {form.get("client_id"), form.get("client_secret")};
    }

    private String clientAddress(ServerRequest req) {
        return clientAddress.of(req);
    }

    private static Map<String, String> form(ServerRequest req) {
        boolean isForm = req.headers().contentType()
                .map(type -> type.mediaType().text().equalsIgnoreCase("application/x-www-form-urlencoded"))
                .orElse(false);
        if (!isForm) {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        String body = req.content().hasEntity() ? req.content().as(String.class) : "";
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            // RFC 6749 section 3.2: parameters must not be repeated.
            if (form.put(name, value) != null) {
                throw OAuthError.invalidRequest("parameter " + name + " is repeated");
            }
        }
        return form;
    }

    /** A form (or Basic credentials) part, URL-decoded; control characters (NUL included) are refused here. */
    private static String decode(String text) {
        String decoded;
        try {
            decoded = URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("malformed form encoding");
        }
        if (JsonCodec.hasControlCharacter(decoded)) {
            throw OAuthError.invalidRequest("control characters are not allowed in parameters");
        }
        return decoded;
    }
}
