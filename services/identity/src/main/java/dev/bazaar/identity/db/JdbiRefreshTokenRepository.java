package dev.bazaar.identity.db;

import dev.bazaar.identity.RefreshToken;
import dev.bazaar.identity.RefreshTokenRepository;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Refresh-token hashes in identity's PostgreSQL database. */
public final class JdbiRefreshTokenRepository implements RefreshTokenRepository {
    private final Jdbi jdbi;

    public JdbiRefreshTokenRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(RefreshToken token) {
        jdbi.useHandle(h -> new InTransaction(h).insert(token));
    }

    @Override
    public Optional<RefreshToken> find(byte[] hash) {
        return jdbi.withHandle(h -> new InTransaction(h).find(hash));
    }

    @Override
    public boolean markUsed(byte[] hash, Instant now) {
        return jdbi.withHandle(h -> new InTransaction(h).markUsed(hash, now));
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> new InTransaction(h).deleteExpired(before));
    }

    @Override
    public void revokeFamily(UUID familyId, Instant now) {
        jdbi.useHandle(h -> new InTransaction(h).revokeFamily(familyId, now));
    }

    @Override
    public <T> T lockingFamily(UUID familyId, Function<RefreshTokenRepository, T> work) {
        return jdbi.inTransaction(h -> {
            // The family's lock: a transaction-scoped advisory lock on the family id (a family has no row of its
            // own), taken by every instance before it changes any token of the family, released at commit.
            h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:family, 0))")
                    .bind("family", familyId.toString()).mapTo(Integer.class).one();
            return work.apply(new InTransaction(h));
        });
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** The same operations on one handle (and its transaction, if any). */
    private record InTransaction(Handle h) implements RefreshTokenRepository {
        @Override
        public void insert(RefreshToken token) {
            h.createUpdate("""
                            INSERT INTO refresh_tokens (token_hash, family_id, user_id, scope, created_at, expires_at)
                            VALUES (:hash, :family, :user, :scope, :createdAt, :expiresAt)
                            """)
                    .bind("hash", token.hash())
                    .bind("family", token.familyId())
                    .bind("user", token.userId())
                    .bind("scope", token.scope())
                    .bind("createdAt", Timestamp.from(token.createdAt()))
                    .bind("expiresAt", Timestamp.from(token.expiresAt()))
                    .execute();
        }

        @Override
        public Optional<RefreshToken> find(byte[] hash) {
            return h.createQuery("""
                            SELECT token_hash, family_id, user_id, scope, created_at, expires_at, used_at, revoked_at
                            FROM refresh_tokens WHERE token_hash = :hash
                            """)
                    .bind("hash", hash)
                    .map((rs, ctx) -> new RefreshToken(rs.getBytes("token_hash"),
                            rs.getObject("family_id", UUID.class), rs.getObject("user_id", UUID.class),
                            rs.getString("scope"), instant(rs.getTimestamp("created_at")),
                            instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("used_at")),
                            instant(rs.getTimestamp("revoked_at"))))
                    .findOne();
        }

        @Override
        public boolean markUsed(byte[] hash, Instant now) {
            return h.createUpdate("""
                            UPDATE refresh_tokens SET used_at = :now
                            WHERE token_hash = :hash AND used_at IS NULL AND revoked_at IS NULL
                            """)
                    .bind("hash", hash).bind("now", Timestamp.from(now)).execute() == 1;
        }

        @Override
        public int deleteExpired(Instant before) {
            return h.createUpdate("DELETE FROM refresh_tokens WHERE expires_at < :before")
                    .bind("before", Timestamp.from(before)).execute();
        }

        @Override
        public void revokeFamily(UUID familyId, Instant now) {
            h.createUpdate("""
                            UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :family AND revoked_at IS NULL
                            """)
                    .bind("family", familyId).bind("now", Timestamp.from(now)).execute();
        }

        @Override
        public <T> T lockingFamily(UUID familyId, Function<RefreshTokenRepository, T> work) {
            throw new UnsupportedOperationException("already inside a family's transaction");
        }
    }
}
