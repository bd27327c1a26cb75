package dev.bazaar.kit.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The identity service's RSA signing keys by {@code kid}, read from its JWKS lazily (a service starts even when
 * identity is not up yet) and read again when a token names a key not seen before — so a key rotation needs no
 * restart — but at most once per {@code minimumInterval}, so a stream of tokens with made-up {@code kid}s cannot
 * turn into a stream of requests to identity. Keys in memory are per instance.
 */
final class JwksKeys {
    private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());
    private static final int MIN_RSA_BITS = 2048;
    /** While no key set was ever read (identity starting), retry this often at most rather than once per interval. */
    private static final long RETRY_WITHOUT_KEYS_NANOS = Duration.ofSeconds(1).toNanos();

    private final URI uri;
    private final long minimumIntervalNanos;
    private final HttpClient client;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile Map<String, RSAPublicKey> keys = Map.of();
    private long lastFetch;
    private boolean fetched;

    JwksKeys(URI uri, Duration minimumInterval) {
        this.uri = uri;
        this.minimumIntervalNanos = minimumInterval.toNanos();
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * The key with this id, refetching the set when the id is unknown and the last fetch is old enough.
     *
     * @throws KeysUnavailableException when no key set could ever be read
     */
    Optional<RSAPublicKey> key(String kid) {
        RSAPublicKey key = keys.get(kid);
        if (key != null) {
            return Optional.of(key);
        }
        refreshIfDue();
        return Optional.ofNullable(keys.get(kid));
    }

    private synchronized void refreshIfDue() {
        long now = System.nanoTime();
        long interval = keys.isEmpty() ? Math.min(minimumIntervalNanos, RETRY_WITHOUT_KEYS_NANOS) : minimumIntervalNanos;
        if (fetched && now - lastFetch < interval) {
            if (keys.isEmpty()) {
                throw new KeysUnavailableException();
            }
            return;
        }
        fetched = true;
        lastFetch = now;
        try {
            keys = fetch();
            LOG.info(() -> "read " + keys.size() + " signing key(s) from " + uri + ": " + keys.keySet());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read signing keys from " + uri + ": " + e.getMessage());
            if (keys.isEmpty()) {
                throw new KeysUnavailableException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeysUnavailableException();
        }
    }

    private Map<String, RSAPublicKey> fetch() throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode());
        }
        JsonNode set = mapper.readTree(response.body()).path("keys");
        Map<String, RSAPublicKey> read = new HashMap<>();
        for (JsonNode jwk : set) {
            rsaKey(jwk).ifPresent(key -> read.put(jwk.path("kid").asText(), key));
        }
        return Map.copyOf(read);
    }

    /** Only RSA signing keys with a {@code kid}, meant for RS256 (or not saying), at least 2048 bits. */
    private static Optional<RSAPublicKey> rsaKey(JsonNode jwk) {
        if (!"RSA".equals(jwk.path("kty").asText()) || jwk.path("kid").asText().isEmpty()
                || (jwk.has("use") && !"sig".equals(jwk.path("use").asText()))
                || (jwk.has("alg") && !TokenValidator.ALGORITHM.equals(jwk.path("alg").asText()))) {
            return Optional.empty();
        }
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            BigInteger modulus = new BigInteger(1, decoder.decode(jwk.path("n").asText()));
            BigInteger exponent = new BigInteger(1, decoder.decode(jwk.path("e").asText()));
            if (modulus.bitLength() < MIN_RSA_BITS) {
                return Optional.empty();
            }
            return Optional.of((RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(modulus, exponent)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** No signing key set could be read (identity down or unreachable): not the caller's fault. */
    static final class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException() {
            super("signing keys are not available", null, false, false);
        }
    }
}
