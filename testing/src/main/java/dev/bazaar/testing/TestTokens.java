package dev.bazaar.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the identity service in tests: RSA signing keys, their JWKS served over real HTTP (JDK
 * {@code HttpServer} on a free loopback port), and minting of access tokens with any header and claims — good ones
 * and every kind of bad one. Services under test get {@link #config()} ({@code security.*} keys) so that they trust
 * it. Keys can be {@link #addKey added} while services run, to test key rotation.
 */
public final class TestTokens implements AutoCloseable {
    public static final String ISSUER = "http://identity.test";
    public static final String AUDIENCE = "bazaar";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final HttpServer server;
    private final List<SigningKey> published = new CopyOnWriteArrayList<>();
    private final SigningKey key;

    /** A signing key and its id. */
    public record SigningKey(String kid, KeyPair pair) {
        public RSAPublicKey publicKey() {
            return (RSAPublicKey) pair.getPublic();
        }
    }

    private TestTokens() {
        this.key = newKey("test-key-1");
        published.add(key);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Starts the JWKS server with one published key. */
    public static TestTokens start() {
        return new TestTokens();
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** The {@code security.*} configuration that makes a service trust these tokens. */
    public Map<String, String> config() {
        return Map.of("security.jwks-uri", jwksUri(),
                "security.issuer", ISSUER,
                "security.audience", AUDIENCE,
                "security.jwks-refresh-minimum", "PT0.2S");
    }

    /** The key published from the start. */
    public SigningKey key() {
        return key;
    }

    /** A fresh key, not published. */
    public static SigningKey newKey(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new SigningKey(kid, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code signingKey} in the JWKS from now on (a key rotation at identity). */
    public void addKey(SigningKey signingKey) {
        published.add(signingKey);
    }

    /** Stops publishing {@code signingKey} (identity dropped a retired key). */
    public void removeKey(SigningKey signingKey) {
        published.removeIf(one -> one.kid().equals(signingKey.kid()));
    }

    /** A valid token for role {@code customer}. */
    public String customer(String subject) {
        return token(subject, "customer");
    }

    /** A valid token for role {@code admin}. */
    public String admin(String subject) {
        return token(subject, "admin");
    }

    /** A valid token with these roles ({@code groups}). */
    public String token(String subject, String... groups) {
        return sign(key, claims(subject, groups));
    }

    /** {@code Authorization} header value. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Valid claims (iss, aud, sub, iat, nbf, exp in 5 minutes, jti, groups) to alter for bad-token tests. */
    public static Map<String, Object> claims(String subject, String... groups) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("groups", List.of(groups));
        claims.put("scope", "openid");
        return claims;
    }

    /** An RS256 token signed by {@code signingKey}, with its {@code kid}. */
    public static String sign(SigningKey signingKey, Map<String, Object> claims) {
        return sign(signingKey, Map.of("alg", "RS256", "typ", "JWT", "kid", signingKey.kid()), claims);
    }

    /** A token with exactly this header, RS256-signed by {@code signingKey} whatever the header says. */
    public static String sign(SigningKey signingKey, Map<String, Object> header, Map<String, Object> claims) {
        String input = part(header) + "." + part(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(signingKey.pair().getPrivate());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}, empty signature part replaced by a dummy so that only the algorithm is wrong. */
    public String unsigned(Map<String, Object> claims) {
        return part(Map.of("alg", "none", "typ", "JWT", "kid", key.kid())) + "." + part(claims) + "."
                + B64.encodeToString("x".getBytes(StandardCharsets.US_ASCII));
    }

    /** The classic confusion attack: HS256 with the RSA public key's bytes as the HMAC secret. */
    public String hs256WithPublicKey(Map<String, Object> claims) {
        String input = part(Map.of("alg", "HS256", "typ", "JWT", "kid", key.kid())) + "." + part(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.publicKey().getEncoded(), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (SigningKey one : published) {
            keys.add(Map.of("kty", "RSA", "use", "sig", "alg", "RS256", "kid", one.kid(),
                    "n", unsigned(one.publicKey().getModulus()), "e", unsigned(one.publicKey().getPublicExponent())));
        }
        return json(Map.of("keys", keys));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

    private static String part(Map<String, Object> json) {
        return B64.encodeToString(json(json).getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
