package dev.bazaar.kit.security;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callers of tokens {@link TokenValidator} accepted lately, so that a client sending the same token again (every
 * request of a session, and catalog seeing it again on orders' reservation) costs a map lookup instead of an RSA
 * verification and two JSON parses (profiled: a fifth of orders' and catalog's CPU per order). A cached token is
 * accepted only while it has not expired and while the key set that verified it is still the one in use: a key
 * identity stops publishing is distrusted as soon as without the cache. Tokens are not revocable before {@code exp}
 * (docs/security.md), so nothing else could change the verdict. Only exact token strings hit.
 */
final class VerifiedTokens {
    /** Enough for the active sessions of one instance; beyond it the expired entries go, then everything. */
    static final int MAX_ENTRIES = 1_024;

    private final JwksKeys keys;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Caller caller, Instant expires, String kid, JwksKeys.KeySet keySet) {
    }

    VerifiedTokens(JwksKeys keys) {
        this.keys = keys;
    }

    /** The caller of {@code token} if it was accepted before and would be again now; empty otherwise. */
    Optional<Caller> get(String token, Instant now) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.expires()) || currentKeys(entry.kid()) != entry.keySet()) {
            entries.remove(token, entry);
            return Optional.empty();
        }
        return Optional.of(entry.caller());
    }

    /** Remembers {@code caller} for {@code token}, which the full validation has just accepted. */
    void put(String token, Caller caller, Instant now) {
        Jwt jwt;
        try {
            jwt = SignedJwt.parseToken(token).getJwt();
        } catch (RuntimeException e) {
            return; // accepted, so it parses; not caching is always safe
        }
        Optional<Instant> expires = jwt.expirationTime();
        Optional<String> kid = jwt.keyId();
        JwksKeys.KeySet keySet = kid.map(this::currentKeys).orElse(null);
        if (expires.isEmpty() || keySet == null || !now.isBefore(expires.get())) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(entry -> !now.isBefore(entry.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(token, new Entry(caller, expires.get(), kid.get(), keySet));
    }

    int size() {
        return entries.size();
    }

    /** The key set a token with {@code kid} would be verified with now (null if none can be read). */
    private JwksKeys.KeySet currentKeys(String kid) {
        try {
            JwksKeys.KeySet current = keys.keysWith(kid);
            return current.kids().contains(kid) ? current : null;
        } catch (JwksKeys.KeysUnavailableException e) {
            return null;
        }
    }
}
