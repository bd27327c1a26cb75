package dev.bazaar.identity;

import java.util.Optional;

/** Where OAuth2 clients live. */
public interface ClientRepository {
    Optional<OAuthClient> find(String id);

    /** Inserts the client, or replaces the stored one with the same id. */
    void save(OAuthClient client);
}
