package dev.bazaar.identity;

import dev.bazaar.kit.Json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys: RSA 2048, RS256. Rotation makes a new key active and retires the old one, which stays in the
 * JWKS for {@code accessTokenTtl + leeway} after it retired, so that tokens it signed keep verifying until they
 * expire: nobody is logged out by a rotation. After that the key is deleted ({@link #purgeRetired()}): no token it
 * signed can still be valid. Private keys are stored sealed ({@link SealedKeys}).
 */
public final class SigningKeys {
    public static final String ALGORITHM = "RS256";

    private final SigningKeyRepository repository;
    private final Duration publishRetiredFor;
    private final Clock clock;
    private final SealedKeys sealer;
    private final Map<String, PrivateKey> parsed = new ConcurrentHashMap<>();

    public SigningKeys(SigningKeyRepository repository, SealedKeys sealer, Duration accessTokenTtl, Duration leeway,
                       Clock clock) {
        this.repository = repository;
        this.sealer = sealer;
        this.publishRetiredFor = accessTokenTtl.plus(leeway);
        this.clock = clock;
    }

    /** The active key and its parsed private key. */
    public record Signer(String kid, PrivateKey privateKey) {
    }

    /**
     * At start: seals any key stored before sealing existed, creates the first key unless one is active (several
     * instances may start at once: one wins), and opens the active key, so that a wrong key-encryption key stops
     * the start rather than the first login.
     */
    public void ensureActive() {
        for (SigningKey key : repository.published(Instant.EPOCH)) {
            if (SealedKeys.isUnsealed(key.privateKey())) {
                repository.updatePrivateKey(key.kid(), sealer.seal(key.kid(), key.privateKey()));
            }
        }
        if (repository.findActive().isEmpty()) {
            repository.insertIfNoneActive(generate());
        }
        signer();
    }

    /**
     * Deletes the keys retired longer than {@code accessTokenTtl + leeway} ago, private half included: no token they
     * signed can still be valid, and they are no longer published. Returns how many.
     */
    public int purgeRetired() {
        int deleted = repository.deleteRetiredBefore(clock.instant().minus(publishRetiredFor));
        String active = repository.findActive().map(SigningKey::kid).orElse(null);
        parsed.keySet().removeIf(kid -> !kid.equals(active));
        return deleted;
    }

    /** Makes a new key active and retires the current one; returns the new kid. */
    public String rotate() {
        SigningKey key = generate();
        repository.rotate(key, clock.instant());
        return key.kid();
    }

    /**
     * The active key, read from the database each time: another instance may have rotated. (One indexed row; the
     * parsed private key is cached by kid.)
     */
    public Signer signer() {
        SigningKey active = repository.findActive()
                .orElseThrow(() -> new IllegalStateException("no active signing key"));
        return new Signer(active.kid(), parsed.computeIfAbsent(active.kid(),
                kid -> privateKey(sealer.open(kid, active.privateKey()))));
    }

    /** The public JWKs to publish: the active key and the recently retired ones. */
    public List<Map<String, Object>> publicJwks() {
        Instant retiredAfter = clock.instant().minus(publishRetiredFor);
        return repository.published(retiredAfter).stream().map(SigningKey::publicJwk).toList();
    }

    /** {@link #publicJwks()} as a JWKS document: what identity's own token validation reads. */
    public String jwksDocument() {
        return new String(Json.codec().encode(Map.of("keys", publicJwks())), StandardCharsets.UTF_8);
    }

    private SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String kid = UUID.randomUUID().toString();
            RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("kid", kid);
            jwk.put("alg", ALGORITHM);
            jwk.put("use", "sig");
            jwk.put("n", base64Url(pub.getModulus()));
            jwk.put("e", base64Url(pub.getPublicExponent()));
            return new SigningKey(kid, ALGORITHM, jwk, sealer.seal(kid, pair.getPrivate().getEncoded()),
                    SigningKey.Status.ACTIVE,
                    clock.instant(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key is not an RSA PKCS#8 key", e);
        }
    }

    /** JWK integers: big-endian, unsigned (no leading zero byte), base64url without padding. */
    static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
