package dev.bazaar.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored refresh token: the SHA-256 of the token (the token itself is returned once and never stored), the family
 * it was rotated in, and whether it was used or revoked.
 */
public record RefreshToken(byte[] hash, UUID familyId, UUID userId, String scope, Instant createdAt,
                           Instant expiresAt, Instant usedAt, Instant revokedAt) {
}
