package dev.bazaar.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Issues and rotates refresh tokens: 256 random bits, stored as SHA-256 only. Each use returns a new token of the same
 * family and marks the old one used; presenting a used token again means it was copied, so the whole family is
 * revoked and the caller (thief or owner) must log in again.
 */
public final class RefreshTokens {
    private final RefreshTokenRepository repository;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RefreshTokens(RefreshTokenRepository repository, Duration ttl, Clock clock) {
        this.repository = repository;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A token as given to the client, with the stored record. */
    public record Issued(String token, RefreshToken stored) {
    }

    /** Starts a new family (a login). */
    public Issued issue(UUID userId, String scope) {
        return issueIn(repository, UUID.randomUUID(), userId, scope);
    }

    /**
     * Uses {@code token}: its record and a fresh token of the same family, or {@code invalid_grant}. One atomic step
     * under the family's lock: of 20 parallel uses of one token, one rotates it and every later one is a reuse that
     * revokes the whole family, including the token the first one was given.
     */
    public Issued rotate(String token) {
        byte[] hash = hash(token);
        RefreshToken seen = repository.find(hash)
                .orElseThrow(() -> OAuthError.invalidGrant("refresh token is not valid"));
        Rotation rotation = repository.lockingFamily(seen.familyId(), family -> {
            Instant now = clock.instant();
            // Read again under the lock: an earlier use or a revocation may have committed meanwhile.
            RefreshToken stored = family.find(hash).orElse(null);
            if (stored == null) {
                return Rotation.refused("refresh token is not valid");
            }
            if (stored.revokedAt() != null) {
                return Rotation.refused("refresh token was revoked");
            }
            if (stored.usedAt() == null && !stored.expiresAt().isAfter(now)) {
                return Rotation.refused("refresh token has expired");
            }
            if (stored.usedAt() != null || !family.markUsed(hash, now)) {
                // Returned, not thrown, so that the revocation commits.
                family.revokeFamily(stored.familyId(), now);
                return Rotation.refused("refresh token was already used; its family is revoked");
            }
            return new Rotation(issueIn(family, stored.familyId(), stored.userId(), stored.scope()), null);
        });
        if (rotation.refusal() != null) {
            throw OAuthError.invalidGrant(rotation.refusal());
        }
        return rotation.issued();
    }

    /** What a rotation under the lock decided: a new token, or why not. */
    private record Rotation(Issued issued, String refusal) {
        static Rotation refused(String why) {
            return new Rotation(null, why);
        }
    }

    /** Revokes the family of {@code token} if it is one of ours (RFC 7009: unknown tokens are no error). */
    public void revoke(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        repository.find(hash(token)).ifPresent(t -> repository.lockingFamily(t.familyId(), family -> {
            family.revokeFamily(t.familyId(), clock.instant());
            return null;
        }));
    }

    /**
     * Deletes tokens a day past their expiry. A day's margin, because reuse detection needs the used tokens: a
     * deleted token presented again is merely unknown (it could not be used anyway) and revokes nothing.
     */
    public int purgeExpired() {
        return repository.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
    }

    private Issued issueIn(RefreshTokenRepository into, UUID familyId, UUID userId, String scope) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        RefreshToken stored = new RefreshToken(hash(token), familyId, userId, scope, now, now.plus(ttl), null, null);
        into.insert(stored);
        return new Issued(token, stored);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
