package dev.bazaar.identity;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Users in a map keyed by e-mail (the unique key), for unit tests. */
final class InMemoryUserRepository implements UserRepository {
    final Map<String, User> byEmail = new ConcurrentHashMap<>();

    @Override
    public boolean insert(User user) {
        return byEmail.putIfAbsent(user.email(), user) == null;
    }

    @Override
    public Optional<User> findByEmail(String normalizedEmail) {
        return Optional.ofNullable(byEmail.get(normalizedEmail));
    }

    @Override
    public Optional<User> findById(UUID id) {
        return byEmail.values().stream().filter(u -> u.id().equals(id)).findFirst();
    }
}
