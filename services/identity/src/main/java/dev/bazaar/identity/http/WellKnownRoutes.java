package dev.bazaar.identity.http;

import dev.bazaar.identity.SigningKeys;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /.well-known}: the JWKS (public keys only) and a discovery document for clients, served as
 * {@code openid-configuration} (what most libraries look for) and as RFC 8414 {@code oauth-authorization-server}.
 * Identity issues no ID tokens: it is an OAuth2 authorization server, not an OpenID provider.
 */
public final class WellKnownRoutes implements HttpService {
    private final SigningKeys keys;
    private final String issuer;

    public WellKnownRoutes(SigningKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/jwks.json", this::jwks)
                .get("/openid-configuration", this::configuration)
                .get("/oauth-authorization-server", this::configuration);
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        // A minute of caching: a verifier that sees an unknown kid should refetch; a new key is published at once.
        res.header(HeaderNames.CACHE_CONTROL, "max-age=60");
        res.send(Map.of("keys", keys.publicJwks()));
    }

    private void configuration(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer);
        body.put("jwks_uri", issuer + "/.well-known/jwks.json");
        body.put("token_endpoint", issuer + "/oauth2/token");
        body.put("revocation_endpoint", issuer + "/oauth2/revoke");
        body.put("grant_types_supported", List.of("password", "client_credentials", "refresh_token"));
        body.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        body.put("response_types_supported", List.of());
        res.header(HeaderNames.CACHE_CONTROL, "max-age=60");
        res.send(body);
    }
}
