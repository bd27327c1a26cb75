package dev.bazaar.kit.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazaar.kit.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The identity service's RSA signing keys, read from its JWKS lazily (a service starts even when
 * identity is not up yet) and read again when a token names a key not seen before — so a key rotation needs no
 * restart — but at most once per {@code minimumInterval}, so a stream of tokens with made-up {@code kid}s cannot
 * turn into a stream of requests to identity. A key set older than {@code maxAge} is read again before it is used
 * (at most once per {@code maxAge}), and the new set replaces the old one whole: a key identity no longer publishes
 * (retired, or removed after a leak) stops being trusted within {@code maxAge}, without waiting for an unknown
 * {@code kid}. When identity cannot be reached then, the last set read stays in use (availability over a retired
 * key trusted a little longer; a warning is logged). Keys in memory are per instance. Only RSA signature keys of
 * at least 2048 bits meant for RS256 are kept; the rest of the set is dropped before Helidon's JWT provider sees it.
 */
final class JwksKeys {
    private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());
    private static final int MIN_RSA_BITS = 2048;
    /** While no key set was ever read (identity starting), retry this often at most rather than once per interval. */
    private static final long RETRY_WITHOUT_KEYS_NANOS = Duration.ofSeconds(1).toNanos();

    private final String origin;
    private final Source source;
    private final long minimumIntervalNanos;
    private final long maxAgeNanos;
    private final ObjectMapper mapper = Json.codec().mapper(); // the one JSON configuration
    private volatile KeySet keys = KeySet.EMPTY;
    /** When the current set was read (System.nanoTime()); meaningful once a set was read. */
    private volatile long readAt;
    private long lastFetch;
    private boolean fetched;

    /** Where a JWKS document comes from. */
    @FunctionalInterface
    interface Source {
        String read() throws IOException, InterruptedException;
    }

    JwksKeys(String origin, Source source, Duration minimumInterval, Duration maxAge) {
        this.origin = origin;
        this.source = source;
        this.minimumIntervalNanos = minimumInterval.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Identity's JWKS over HTTP(S), each fetch bounded by {@code timeouts}. */
    static JwksKeys http(URI uri, Duration minimumInterval, Duration maxAge, SecuritySettings.JwksTimeouts timeouts) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeouts.connect()).build();
        return new JwksKeys(uri.toString(), () -> {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeouts.read())
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("status " + response.statusCode());
            }
            return response.body();
        }, minimumInterval, maxAge);
    }

    /** A key set as read: the accepted keys as a JWKS document, and their ids. */
    record KeySet(String jwks, Set<String> kids) {
        static final KeySet EMPTY = new KeySet("{\"keys\":[]}", Set.of());

        boolean isEmpty() {
            return kids.isEmpty();
        }
    }

    /**
     * The current key set, read again first when it is older than the maximum age, or when it does not hold
     * {@code kid} and the last fetch is old enough.
     *
     * @throws KeysUnavailableException when no key set could ever be read
     */
    KeySet keysWith(String kid) {
        KeySet current = keys;
        if (current.kids().contains(kid) && !isStale()) {
            return current;
        }
        refreshIfDue();
        return keys;
    }

    private boolean isStale() {
        return !keys.isEmpty() && System.nanoTime() - readAt >= maxAgeNanos;
    }

    private synchronized void refreshIfDue() {
        long now = System.nanoTime();
        if (isStale()) {
            lastFetch = now;
            readAt = now; // a failed read is not retried by every request either: once per maximum age
            read();
            return;
        }
        long interval = keys.isEmpty() ? Math.min(minimumIntervalNanos, RETRY_WITHOUT_KEYS_NANOS) : minimumIntervalNanos;
        if (fetched && now - lastFetch < interval) {
            if (keys.isEmpty()) {
                throw new KeysUnavailableException();
            }
            return;
        }
        fetched = true;
        lastFetch = now;
        read();
    }

    private void read() {
        try {
            KeySet read = parse(source.read());
            readAt = System.nanoTime();
            if (!read.kids().equals(keys.kids())) {
                LOG.info(() -> "read " + read.kids().size() + " signing key(s) from " + origin + ": " + read.kids());
            }
            if (!read.equals(keys)) {
                keys = read; // whole: what identity no longer publishes is gone
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read signing keys from " + origin + ": " + e.getMessage());
            if (keys.isEmpty()) {
                throw new KeysUnavailableException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeysUnavailableException();
        }
    }

    private KeySet parse(String jwks) throws IOException {
        ArrayNode accepted = mapper.createArrayNode();
        Set<String> kids = new LinkedHashSet<>();
        for (JsonNode jwk : mapper.readTree(jwks).path("keys")) {
            if (acceptable(jwk) && kids.add(jwk.path("kid").asText())) {
                accepted.add(jwk);
            }
        }
        return new KeySet(mapper.createObjectNode().set("keys", accepted).toString(), Set.copyOf(kids));
    }

    /** Only RSA signing keys with a {@code kid}, meant for RS256 (or not saying), at least 2048 bits. */
    private static boolean acceptable(JsonNode jwk) {
        if (!"RSA".equals(jwk.path("kty").asText()) || jwk.path("kid").asText().isEmpty()
                || (jwk.has("use") && !"sig".equals(jwk.path("use").asText()))
                || (jwk.has("alg") && !TokenValidator.ALGORITHM.equals(jwk.path("alg").asText()))
                || !jwk.path("e").isTextual()) {
            return false;
        }
        try {
            return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText())).bitLength() >= MIN_RSA_BITS;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** No signing key set could be read (identity down or unreachable): not the caller's fault. */
    static final class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException() {
            super("signing keys are not available", null, false, false);
        }
    }
}
