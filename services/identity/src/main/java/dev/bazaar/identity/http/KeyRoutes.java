package dev.bazaar.identity.http;

import dev.bazaar.identity.SigningKeys;
import dev.bazaar.identity.TokenVerifier;
import dev.bazaar.identity.User;
import dev.bazaar.kit.Failure;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;

/** {@code /admin/keys}: rotation of the signing key, for admins only. */
public final class KeyRoutes implements HttpService {
    private final SigningKeys keys;
    private final TokenVerifier verifier;

    public KeyRoutes(SigningKeys keys, TokenVerifier verifier) {
        this.keys = keys;
        this.verifier = verifier;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rotate", this::rotate);
    }

    private void rotate(ServerRequest req, ServerResponse res) {
        TokenVerifier.Verified caller = BearerAuth.caller(req, res, verifier);
        if (!caller.groups().contains(User.ADMIN)) {
            throw new Failure(Failure.Kind.FORBIDDEN, "the admin role is required");
        }
        res.send(Map.of("kid", keys.rotate()));
    }
}
