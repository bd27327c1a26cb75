package dev.bazaar.identity.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazaar.kit.Json;
import dev.bazaar.identity.SigningKey;
import dev.bazaar.identity.SigningKeyRepository;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Signing keys in identity's PostgreSQL database, shared by all instances. */
public final class JdbiSigningKeyRepository implements SigningKeyRepository {
    private static final ObjectMapper MAPPER = Json.codec().mapper(); // the one JSON configuration
    private static final String COLUMNS = "kid, algorithm, public_jwk, private_key, status, created_at, retired_at";
    private static final RowMapper<SigningKey> KEY = (rs, ctx) -> new SigningKey(
            rs.getString("kid"),
            rs.getString("algorithm"),
            json(rs.getString("public_jwk")),
            rs.getBytes("private_key"),
            SigningKey.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
            rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("retired_at") == null ? null : rs.getTimestamp("retired_at").toInstant());

    private final Jdbi jdbi;

    public JdbiSigningKeyRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<SigningKey> findActive() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM signing_keys WHERE status = 'active'")
                .map(KEY).findOne());
    }

    @Override
    public boolean insertIfNoneActive(SigningKey key) {
        // The partial unique index on the active status makes a concurrent second insert do nothing.
        return jdbi.withHandle(h -> insert(h, key, "ON CONFLICT DO NOTHING") == 1);
    }

    @Override
    public void rotate(SigningKey key, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE signing_keys SET status = 'retired', retired_at = :now WHERE status = 'active'")
                    .bind("now", Timestamp.from(now)).execute();
            insert(h, key, "");
        });
    }

    @Override
    public List<SigningKey> published(Instant retiredAfter) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM signing_keys WHERE status = 'active' OR retired_at > :after
                         ORDER BY status = 'active' DESC, created_at DESC
                        """)
                .bind("after", Timestamp.from(retiredAfter)).map(KEY).list());
    }

    @Override
    public void updatePrivateKey(String kid, byte[] privateKey) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE signing_keys SET private_key = :key WHERE kid = :kid")
                .bind("kid", kid).bind("key", privateKey).execute());
    }

    @Override
    public int deleteRetiredBefore(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM signing_keys WHERE status = 'retired' AND retired_at < :before")
                .bind("before", Timestamp.from(before)).execute());
    }

    private static int insert(Handle h, SigningKey key, String onConflict) {
        return h.createUpdate("""
                        INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key, status, created_at)
                        VALUES (:kid, :alg, :jwk, :key, 'active', :createdAt)
                        """ + onConflict)
                .bind("kid", key.kid())
                .bind("alg", key.algorithm())
                .bind("jwk", write(key.publicJwk()))
                .bind("key", key.privateKey())
                .bind("createdAt", Timestamp.from(key.createdAt()))
                .execute();
    }

    private static String write(Map<String, Object> jwk) {
        try {
            return MAPPER.writeValueAsString(jwk);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> json(String text) {
        try {
            return MAPPER.readValue(text, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JWK is not JSON", e);
        }
    }
}
