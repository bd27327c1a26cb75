package dev.bazaar.identity;

import dev.bazaar.identity.db.JdbiAttemptCounters;
import dev.bazaar.identity.db.JdbiClientRepository;
import dev.bazaar.identity.db.JdbiRefreshTokenRepository;
import dev.bazaar.identity.db.JdbiSigningKeyRepository;
import dev.bazaar.identity.db.JdbiUserRepository;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

import java.time.Duration;
import java.util.UUID;

/** The repository contracts against PostgreSQL, all on one migrated database. */
class JdbiIdentityRepositoriesIT {
    static TestDatabase testDb;
    static Database db;

    @BeforeAll
    static void open() {
        testDb = TestDatabase.create("identity_repo");
        db = Database.migrateAndOpen(new DatabaseSettings(testDb.url(), testDb.user(), testDb.password(), 4,
                Duration.ofSeconds(2)), "identity", OpenTelemetry.noop());
    }

    @AfterAll
    static void close() {
        db.close();
        testDb.close();
    }

    @Nested
    class UserStore extends UserRepositoryContract {
        @Override
        UserRepository users() {
            return new JdbiUserRepository(db.jdbi());
        }
    }

    @Nested
    class ClientStore extends ClientRepositoryContract {
        @Override
        ClientRepository clients() {
            return new JdbiClientRepository(db.jdbi());
        }
    }

    @Nested
    class AttemptStore extends AttemptCountersContract {
        @Override
        AttemptCounters counters() {
            return new JdbiAttemptCounters(db.jdbi());
        }
    }

    @Nested
    class RefreshTokenStore extends RefreshTokenRepositoryContract {
        final User owner = UserRepositoryContract.user(UserRepositoryContract.email());

        @BeforeEach
        void storeTheOwner() {
            new JdbiUserRepository(db.jdbi()).insert(owner);
        }

        @Override
        RefreshTokenRepository tokens() {
            return new JdbiRefreshTokenRepository(db.jdbi());
        }

        @Override
        UUID user() {
            return owner.id();
        }
    }

    @Nested
    class SigningKeyStore extends SigningKeyRepositoryContract {
        @BeforeEach
        void noKeys() {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM signing_keys"));
        }

        @Override
        SigningKeyRepository keys() {
            return new JdbiSigningKeyRepository(db.jdbi());
        }
    }
}
