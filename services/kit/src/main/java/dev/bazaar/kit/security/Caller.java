package dev.bazaar.kit.security;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as a verified access token says: the subject ({@code sub}, the customer or user id) and the roles
 * (the token's {@code groups}). Handlers get it from {@link HttpSecurity#caller} over HTTP and
 * {@link NatsSecurity#caller} over NATS.
 */
public record Caller(String subject, Set<String> roles) {
    public static final String ADMIN = "admin";
    public static final String CUSTOMER = "customer";

    public Caller {
        Objects.requireNonNull(subject, "subject");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** True if the caller has at least one of {@code wanted}. */
    public boolean hasAnyRole(String... wanted) {
        for (String role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    public boolean isAdmin() {
        return hasRole(ADMIN);
    }
}
