package dev.bazaar.notifications.http;

import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.security.HttpSecurity;
import io.helidon.webserver.http.ServerRequest;

/**
 * Whose notifications a request may see: {@link #fromToken} — the subject of the caller's access token, so a
 * customer only ever sees their own. An interface so that route tests could pass another resolver.
 */
@FunctionalInterface
public interface CallerCustomer {
    /**
     * The customer id.
     *
     * @throws Failure {@code UNAUTHORIZED} when the request carries no valid token
     */
    String of(ServerRequest req);

    /** The authenticated caller's subject. */
    static String fromToken(ServerRequest req) {
        return HttpSecurity.caller(req).subject();
    }
}
