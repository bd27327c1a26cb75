package dev.bazaar.identity.http;

import dev.bazaar.identity.TokenVerifier;
import dev.bazaar.kit.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The caller of a route protected by identity's own access tokens (the few routes identity protects itself). */
final class BearerAuth {
    private BearerAuth() {
    }

    /** The verified caller, or a 401 with {@code WWW-Authenticate: Bearer}. */
    static TokenVerifier.Verified caller(ServerRequest req, ServerResponse res, TokenVerifier verifier) {
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Failure(Failure.Kind.UNAUTHORIZED, "a bearer token is required");
        }
        TokenVerifier.Verified caller = verifier.verify(authorization.substring(7).trim());
        res.headers().remove(HeaderNames.WWW_AUTHENTICATE);
        return caller;
    }
}
