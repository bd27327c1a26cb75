package dev.bazaar.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

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

    /**
     * Runs {@code work} in one transaction that holds the lock of {@code familyId}: every change to a family (a
     * rotation, reuse detection, a revocation) happens under it, so concurrent uses of one family's tokens, on any
     * instance, run one after the other and each sees what the previous one wrote. {@code work} gets the repository
     * of that transaction; it commits when {@code work} returns and rolls back when it throws.
     */
    <T> T lockingFamily(UUID familyId, Function<RefreshTokenRepository, T> work);
}
