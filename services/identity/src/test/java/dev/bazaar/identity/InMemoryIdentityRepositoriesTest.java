package dev.bazaar.identity;

import org.junit.jupiter.api.Nested;

import java.util.UUID;

/** The repository contracts against the fakes the unit tests rely on. */
class InMemoryIdentityRepositoriesTest {
    @Nested
    class UserStore extends UserRepositoryContract {
        final InMemoryUserRepository users = new InMemoryUserRepository();

        @Override
        UserRepository users() {
            return users;
        }
    }

    @Nested
    class ClientStore extends ClientRepositoryContract {
        final InMemoryClientRepository clients = new InMemoryClientRepository();

        @Override
        ClientRepository clients() {
            return clients;
        }
    }

    @Nested
    class AttemptStore extends AttemptCountersContract {
        final InMemoryAttemptCounters counters = new InMemoryAttemptCounters();

        @Override
        AttemptCounters counters() {
            return counters;
        }
    }

    @Nested
    class RefreshTokenStore extends RefreshTokenRepositoryContract {
        final InMemoryRefreshTokenRepository tokens = new InMemoryRefreshTokenRepository();
        final UUID user = UUID.randomUUID();

        @Override
        RefreshTokenRepository tokens() {
            return tokens;
        }

        @Override
        UUID user() {
            return user;
        }
    }

    @Nested
    class SigningKeyStore extends SigningKeyRepositoryContract {
        final InMemorySigningKeyRepository keys = new InMemorySigningKeyRepository();

        @Override
        SigningKeyRepository keys() {
            return keys;
        }
    }
}
