package dev.bazaar.identity.http;

import dev.bazaar.identity.SigningKeys;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.HttpSecurity;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;

/** {@code /admin/keys}: rotation of the signing key, for admins only. */
public final class KeyRoutes implements HttpService {
    private final SigningKeys keys;

    public KeyRoutes(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rotate", HttpSecurity.rolesAllowed(Caller.ADMIN), this::rotate);
    }

    private void rotate(ServerRequest req, ServerResponse res) {
        res.send(Map.of("kid", keys.rotate()));
    }
}
