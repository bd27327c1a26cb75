package dev.bazaar.identity.db;

import dev.bazaar.identity.ClientRepository;
import dev.bazaar.identity.OAuthClient;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** OAuth2 clients in identity's PostgreSQL database. */
public final class JdbiClientRepository implements ClientRepository {
    private final Jdbi jdbi;

    public JdbiClientRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<OAuthClient> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, secret_hash, roles, scopes FROM oauth_clients WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new OAuthClient(rs.getString("id"), rs.getString("secret_hash"),
                        List.of((String[]) rs.getArray("roles").getArray()),
                        List.of((String[]) rs.getArray("scopes").getArray())))
                .findOne());
    }

    @Override
    public void save(OAuthClient client) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO oauth_clients (id, secret_hash, roles, scopes, created_at)
                        VALUES (:id, :hash, :roles, :scopes, :now)
                        ON CONFLICT (id) DO UPDATE
                        SET secret_hash = excluded.secret_hash, roles = excluded.roles, scopes = excluded.scopes
                        """)
                .bind("id", client.id())
                .bind("hash", client.secretHash())
                .bindArray("roles", String.class, client.roles())
                .bindArray("scopes", String.class, client.scopes())
                .bind("now", Timestamp.from(Instant.now()))
                .execute());
    }
}
