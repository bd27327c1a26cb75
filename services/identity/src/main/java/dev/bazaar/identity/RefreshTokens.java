package dev.bazaar.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
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
        return issueIn(UUID.randomUUID(), userId, scope);
    }

    /** Uses {@code token}: its record and a fresh token of the same family, or {@code invalid_grant}. */
    public Issued rotate(String token) {
        Instant now = clock.instant();
        byte[] hash = hash(token);
        RefreshToken stored = repository.find(hash)
                .orElseThrow(() -> OAuthError.invalidGrant("refresh token is not valid"));
        if (stored.revokedAt() != null) {
            throw OAuthError.invalidGrant("refresh token was revoked");
        }
        if (stored.usedAt() == null && !stored.expiresAt().isAfter(now)) {
            throw OAuthError.invalidGrant("refresh token has expired");
        }
        if (stored.usedAt() != null || !repository.markUsed(hash, now)) {
            repository.revokeFamily(stored.familyId(), now);
            throw OAuthError.invalidGrant("refresh token was already used; its family is revoked");
        }
        return issueIn(stored.familyId(), stored.userId(), stored.scope());
    }

    /** Revokes the family of {@code token} if it is one of ours (RFC 7009: unknown tokens are no error). */
    public void revoke(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        Optional<RefreshToken> stored = repository.find(hash(token));
        stored.ifPresent(t -> repository.revokeFamily(t.familyId(), clock.instant()));
    }

    /**
     * Deletes tokens a day past their expiry. A day's margin, because reuse detection needs the used tokens: a
     * deleted token presented again is merely unknown (it could not be used anyway) and revokes nothing.
     */
    public int purgeExpired() {
        return repository.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
    }

    private Issued issueIn(UUID familyId, UUID userId, String scope) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        RefreshToken stored = new RefreshToken(hash(token), familyId, userId, scope, now, now.plus(ttl), null, null);
        repository.insert(stored);
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
