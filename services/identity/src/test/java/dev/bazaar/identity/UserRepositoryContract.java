package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link UserRepository} guarantees; run against the fake and against PostgreSQL. */
abstract class UserRepositoryContract {
    abstract UserRepository users();

    @Test
    void storesAUserFoundByEmailAndById() {
        User user = user(email());

        assertThat(users().insert(user)).isTrue();

        assertThat(users().findByEmail(user.email())).contains(user);
        assertThat(users().findById(user.id())).contains(user);
        assertThat(users().findByEmail(email())).isEmpty();
        assertThat(users().findById(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aTakenEmailStoresNothing() {
        User first = user(email());
        users().insert(first);

        User second = user(first.email());
        assertThat(users().insert(second)).isFalse();

        assertThat(users().findByEmail(first.email())).contains(first);
        assertThat(users().findById(second.id())).isEmpty();
    }

    /** A new customer, created now at the database's precision. */
    static User user(String email) {
        return new User(UUID.randomUUID(), email, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                List.of(User.CUSTOMER), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    static String email() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }
}
