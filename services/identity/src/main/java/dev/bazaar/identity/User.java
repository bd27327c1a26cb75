package dev.bazaar.identity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered user; {@code email} is normalized and {@code passwordHash} an Argon2id PHC string. */
public record User(UUID id, String email, String passwordHash, List<String> roles, Instant createdAt) {
    public static final String CUSTOMER = "customer";
    public static final String ADMIN = "admin";

    public User {
        roles = List.copyOf(roles);
    }
}
