package dev.bazaar.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Signing keys in a list, for unit tests. */
final class InMemorySigningKeyRepository implements SigningKeyRepository {
    final List<SigningKey> keys = new ArrayList<>();

    @Override
    public synchronized Optional<SigningKey> findActive() {
        return keys.stream().filter(k -> k.status() == SigningKey.Status.ACTIVE).findFirst();
    }

    @Override
    public synchronized boolean insertIfNoneActive(SigningKey key) {
        if (findActive().isPresent()) {
            return false;
        }
        keys.add(key);
        return true;
    }

    @Override
    public synchronized void rotate(SigningKey key, Instant now) {
        findActive().ifPresent(old -> {
            keys.remove(old);
            keys.add(new SigningKey(old.kid(), old.algorithm(), old.publicJwk(), old.privateKey(),
                    SigningKey.Status.RETIRED, old.createdAt(), now));
        });
        keys.add(key);
    }

    @Override
    public synchronized List<SigningKey> published(Instant retiredAfter) {
        return keys.stream()
                .filter(k -> k.status() == SigningKey.Status.ACTIVE || k.retiredAt().isAfter(retiredAfter))
                .sorted(Comparator.comparing((SigningKey k) -> k.status() != SigningKey.Status.ACTIVE)
                        .thenComparing(Comparator.comparing(SigningKey::createdAt).reversed()))
                .toList();
    }

    @Override
    public synchronized void updatePrivateKey(String kid, byte[] privateKey) {
        keys.replaceAll(k -> k.kid().equals(kid) ? new SigningKey(k.kid(), k.algorithm(), k.publicJwk(), privateKey,
                k.status(), k.createdAt(), k.retiredAt()) : k);
    }

    @Override
    public synchronized int deleteRetiredBefore(Instant before) {
        int size = keys.size();
        keys.removeIf(k -> k.status() == SigningKey.Status.RETIRED && k.retiredAt().isBefore(before));
        return size - keys.size();
    }
}
