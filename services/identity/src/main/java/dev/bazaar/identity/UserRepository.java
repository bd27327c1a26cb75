package dev.bazaar.identity;

import java.util.Optional;
import java.util.UUID;

/** Where users live. */
public interface UserRepository {
    /** Stores a new user; false when the e-mail is already taken. */
    boolean insert(User user);

    Optional<User> findByEmail(String normalizedEmail);

    Optional<User> findById(UUID id);
}
