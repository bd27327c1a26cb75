package dev.bazaar.identity;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** OAuth2 clients in a map, for unit tests. */
final class InMemoryClientRepository implements ClientRepository {
    final Map<String, OAuthClient> clients = new ConcurrentHashMap<>();

    @Override
    public Optional<OAuthClient> find(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    @Override
    public void save(OAuthClient client) {
        clients.put(client.id(), client);
    }
}
