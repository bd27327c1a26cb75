package dev.bazaar.notifications.http;

import dev.bazaar.kit.Failure;
import io.helidon.webserver.http.ServerRequest;

/**
 * Whose notifications a request may see. Until identity exists the caller names the customer in the
 * {@code customerId} query parameter ({@link #fromQuery}); with tokens, {@code Main} passes a resolver that reads the
 * authenticated subject instead, and nothing else changes.
 */
@FunctionalInterface
public interface CallerCustomer {
    /**
     * The customer id.
     *
     * @throws Failure {@code INVALID} (later {@code UNAUTHORIZED}) when the request does not say
     */
    String of(ServerRequest req);

    /** The {@code customerId} query parameter, required. */
    static String fromQuery(ServerRequest req) {
        String customerId = req.query().contains("customerId") ? req.query().get("customerId").strip() : "";
        if (customerId.isEmpty()) {
            throw Failure.invalid("customerId is required");
        }
        return customerId;
    }
}
