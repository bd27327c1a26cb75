package dev.bazaar.kit.security;

import java.util.Optional;

/** The one reading of an {@code Authorization} header value with the Bearer scheme (RFC 6750), for HTTP and NATS. */
final class BearerHeader {
    static final String PREFIX = "Bearer ";

    private BearerHeader() {
    }

    /** True when {@code value} uses the Bearer scheme, token or not (a bare {@code Bearer} is a malformed token). */
    static boolean isBearerScheme(String value) {
        String v = value.strip();
        return v.regionMatches(true, 0, "Bearer", 0, 6) && (v.length() == 6 || v.charAt(6) == ' ');
    }

    /** The token of {@code Bearer <token>}; empty when {@code value} is not that. */
    static Optional<String> token(String value) {
        String v = value.strip();
        return v.length() > PREFIX.length() && v.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? Optional.of(v.substring(PREFIX.length()).strip()) : Optional.empty();
    }

    /** The header value that carries {@code token}. */
    static String of(String token) {
        return PREFIX + token;
    }
}
