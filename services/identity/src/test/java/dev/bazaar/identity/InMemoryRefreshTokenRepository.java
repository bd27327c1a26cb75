package dev.bazaar.identity;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Refresh tokens in a map, for unit tests. */
final class InMemoryRefreshTokenRepository implements RefreshTokenRepository {
    final Map<ByteBuffer, RefreshToken> tokens = new ConcurrentHashMap<>();

    @Override
    public void insert(RefreshToken token) {
        tokens.put(ByteBuffer.wrap(token.hash()), token);
    }

    @Override
    public Optional<RefreshToken> find(byte[] hash) {
        return Optional.ofNullable(tokens.get(ByteBuffer.wrap(hash)));
    }

    @Override
    public synchronized boolean markUsed(byte[] hash, Instant now) {
        RefreshToken t = tokens.get(ByteBuffer.wrap(hash));
        if (t == null || t.usedAt() != null || t.revokedAt() != null) {
            return false;
        }
        insert(new RefreshToken(t.hash(), t.familyId(), t.userId(), t.scope(), t.createdAt(), t.expiresAt(), now, null));
        return true;
    }

    @Override
    public synchronized int deleteExpired(Instant before) {
        var expired = tokens.entrySet().stream().filter(e -> e.getValue().expiresAt().isBefore(before))
                .map(Map.Entry::getKey).toList();
        expired.forEach(tokens::remove);
        return expired.size();
    }

    @Override
    public synchronized void revokeFamily(UUID familyId, Instant now) {
        tokens.values().stream().filter(t -> t.familyId().equals(familyId) && t.revokedAt() == null).toList()
                .forEach(t -> insert(new RefreshToken(t.hash(), t.familyId(), t.userId(), t.scope(), t.createdAt(),
                        t.expiresAt(), t.usedAt(), now)));
    }

    @Override
    public synchronized <T> T lockingFamily(UUID familyId, Function<RefreshTokenRepository, T> work) {
        Map<ByteBuffer, RefreshToken> before = new HashMap<>(tokens);
        try {
            return work.apply(this);
        } catch (RuntimeException e) { // rolls back, as the transaction does
            tokens.clear();
            tokens.putAll(before);
            throw e;
        }
    }
}
