package dev.bazaar.identity.db;

import dev.bazaar.identity.User;
import dev.bazaar.identity.UserRepository;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users in identity's PostgreSQL database. */
public final class JdbiUserRepository implements UserRepository {
    private static final RowMapper<User> USER = (rs, ctx) -> new User(
            rs.getObject("id", UUID.class),
            rs.getString("email"),
            rs.getString("password_hash"),
            List.of((String[]) rs.getArray("roles").getArray()),
            rs.getTimestamp("created_at").toInstant());

    private final Jdbi jdbi;

    public JdbiUserRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(User user) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO users (id, email, password_hash, roles, created_at)
                        VALUES (:id, :email, :hash, :roles, :createdAt)
                        ON CONFLICT (email) DO NOTHING
                        """)
                .bind("id", user.id())
                .bind("email", user.email())
                .bind("hash", user.passwordHash())
                .bindArray("roles", String.class, user.roles())
                .bind("createdAt", Timestamp.from(user.createdAt()))
                .execute() == 1);
    }

    @Override
    public Optional<User> findByEmail(String normalizedEmail) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, email, password_hash, roles, created_at FROM users WHERE email = :email
                        """)
                .bind("email", normalizedEmail).map(USER).findOne());
    }

    @Override
    public Optional<User> findById(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, email, password_hash, roles, created_at FROM users WHERE id = :id
                        """)
                .bind("id", id).map(USER).findOne());
    }
}
