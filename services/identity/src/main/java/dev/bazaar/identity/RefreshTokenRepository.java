package dev.bazaar.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Where refresh tokens (their hashes) live. */
public interface RefreshTokenRepository {
    void insert(RefreshToken token);

    Optional<RefreshToken> find(byte[] hash);

    /** Marks the token used if it is neither used nor revoked; false when another request got there first. */
    boolean markUsed(byte[] hash, Instant now);

    /** Deletes the tokens that expired before {@code before}; returns how many. */
    int deleteExpired(Instant before);

    /** Revokes every token of the family. */
    void revokeFamily(UUID familyId, Instant now);
}
