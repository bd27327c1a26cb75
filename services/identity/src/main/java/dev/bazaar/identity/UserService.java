package dev.bazaar.identity;

import dev.bazaar.contracts.Failure;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Registration, credential checks and the bootstrap admin. */
public final class UserService {
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    public UserService(UserRepository users, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Registers a customer; 400 for a bad e-mail or weak password, 409 when the e-mail is taken. */
    public User register(String email, String password) {
        return create(email, password, List.of(User.CUSTOMER))
                .orElseThrow(() -> Failure.conflict("a user with this email already exists"));
    }

    /** Creates the bootstrap admin unless a user with that e-mail exists; true when it was created. */
    public boolean ensureAdmin(String email, String password) {
        String normalized = EmailAddress.normalize(email);
        if (users.findByEmail(normalized).isPresent()) {
            return false;
        }
        return create(normalized, password, List.of(User.CUSTOMER, User.ADMIN)).isPresent();
    }

    private Optional<User> create(String email, String password, List<String> roles) {
        String normalized = EmailAddress.normalize(email);
        PasswordPolicy.check(password, normalized);
        User user = new User(UUID.randomUUID(), normalized, hasher.hash(password), roles, clock.instant());
        return users.insert(user) ? Optional.of(user) : Optional.empty();
    }

    /** The user whose e-mail and password match; an unknown e-mail costs a hash too (no timing oracle). */
    public Optional<User> authenticate(String email, String password) {
        String normalized;
        try {
            normalized = EmailAddress.normalize(email);
        } catch (Failure e) {
            hasher.verifyNobody(password == null ? "" : password);
            return Optional.empty();
        }
        Optional<User> user = users.findByEmail(normalized);
        String given = password == null ? "" : password;
        if (user.isEmpty()) {
            hasher.verifyNobody(given);
            return Optional.empty();
        }
        return hasher.verify(given, user.get().passwordHash()) ? user : Optional.empty();
    }

    public Optional<User> find(UUID id) {
        return users.findById(id);
    }
}
