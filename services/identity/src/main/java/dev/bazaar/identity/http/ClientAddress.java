package dev.bazaar.identity.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetSocketAddress;

/**
 * The client's address, as the limits count it: the connection's remote address, or the first
 * {@code X-Forwarded-For} entry only when {@code identity.trust-forwarded-for} says a trusted proxy sets it (anyone
 * else could send a new address with every request).
 */
public record ClientAddress(boolean trustForwardedFor) {
    /** Longer than any IPv6 address; what is beyond is not an address, and the counters' keys stay short. */
    private static final int MAX_LENGTH = 64;

    public String of(ServerRequest req) {
        if (trustForwardedFor) {
            var forwarded = req.headers().first(HeaderNames.X_FORWARDED_FOR);
            if (forwarded.isPresent() && !forwarded.get().isBlank()) {
                // The first entry is the original client, as the trusted proxy recorded it.
                String first = forwarded.get().split(",")[0].trim();
                return first.length() > MAX_LENGTH ? first.substring(0, MAX_LENGTH) : first;
            }
        }
        return req.remotePeer().address() instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress()
                : String.valueOf(req.remotePeer().address());
    }
}
