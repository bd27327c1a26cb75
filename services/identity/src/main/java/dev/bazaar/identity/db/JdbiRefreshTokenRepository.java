package dev.bazaar.identity.db;

import dev.bazaar.identity.RefreshToken;
import dev.bazaar.identity.RefreshTokenRepository;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Refresh-token hashes in identity's PostgreSQL database. */
public final class JdbiRefreshTokenRepository implements RefreshTokenRepository {
    private final Jdbi jdbi;

    public JdbiRefreshTokenRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(RefreshToken token) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO refresh_tokens (token_hash, family_id, user_id, scope, created_at, expires_at)
                        VALUES (:hash, :family, :user, :scope, :createdAt, :expiresAt)
                        """)
                .bind("hash", token.hash())
                .bind("family", token.familyId())
                .bind("user", token.userId())
                .bind("scope", token.scope())
                .bind("createdAt", Timestamp.from(token.createdAt()))
                .bind("expiresAt", Timestamp.from(token.expiresAt()))
                .execute());
    }

    @Override
    public Optional<RefreshToken> find(byte[] hash) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT token_hash, family_id, user_id, scope, created_at, expires_at, used_at, revoked_at
                        FROM refresh_tokens WHERE token_hash = :hash
                        """)
                .bind("hash", hash)
                .map((rs, ctx) -> new RefreshToken(rs.getBytes("token_hash"), rs.getObject("family_id", UUID.class),
                        rs.getObject("user_id", UUID.class), rs.getString("scope"),
                        instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("expires_at")),
                        instant(rs.getTimestamp("used_at")), instant(rs.getTimestamp("revoked_at"))))
                .findOne());
    }

    @Override
    public boolean markUsed(byte[] hash, Instant now) {
        // The conditional update is the race guard: of two requests presenting the same token, one wins.
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE refresh_tokens SET used_at = :now
                        WHERE token_hash = :hash AND used_at IS NULL AND revoked_at IS NULL
                        """)
                .bind("hash", hash).bind("now", Timestamp.from(now)).execute() == 1);
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM refresh_tokens WHERE expires_at < :before")
                .bind("before", Timestamp.from(before)).execute());
    }

    @Override
    public void revokeFamily(UUID familyId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :family AND revoked_at IS NULL
                        """)
                .bind("family", familyId).bind("now", Timestamp.from(now)).execute());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
