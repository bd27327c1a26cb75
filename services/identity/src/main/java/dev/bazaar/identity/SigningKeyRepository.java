package dev.bazaar.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where signing keys live; every instance of identity shares them. */
public interface SigningKeyRepository {
    Optional<SigningKey> findActive();

    /** Stores {@code key} as the active key unless one is active already (another instance won); false then. */
    boolean insertIfNoneActive(SigningKey key);

    /** In one transaction: retires the active key at {@code now} and stores {@code key} as the active one. */
    void rotate(SigningKey key, Instant now);

    /** The active key first, then the keys retired after {@code retiredAfter}, newest first. */
    List<SigningKey> published(Instant retiredAfter);

    /** Replaces the stored private key of {@code kid} (sealing a key stored before sealing existed). */
    void updatePrivateKey(String kid, byte[] privateKey);

    /** Deletes the keys retired before {@code before}; returns how many. */
    int deleteRetiredBefore(Instant before);
}
