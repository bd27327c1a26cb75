package dev.bazaar.identity;

import java.util.List;
import java.util.Optional;

/** OAuth2 client seeding (from configuration) and authentication. */
public final class Clients {
    private final ClientRepository clients;
    private final PasswordHasher hasher;

    public Clients(ClientRepository clients, PasswordHasher hasher) {
        this.clients = clients;
        this.hasher = hasher;
    }

    /** A client as configured, with its secret in clear (configuration only; it is hashed before storing). */
    public record Seed(String id, String secret, List<String> roles, List<String> scopes) {
        @Override
        public String toString() {
            return "Seed[id=" + id + ", roles=" + roles + ", scopes=" + scopes + "]";
        }
    }

    /**
     * Makes the stored client match the configuration: configuration is the source of truth, so changing the
     * configured secret (and restarting) replaces the stored hash. Unchanged seeds cost one hash per start.
     */
    public void seed(Seed seed) {
        Optional<OAuthClient> stored = clients.find(seed.id());
        if (stored.isPresent() && hasher.verify(seed.secret(), stored.get().secretHash())
                && stored.get().roles().equals(seed.roles()) && stored.get().scopes().equals(seed.scopes())) {
            return;
        }
        clients.save(new OAuthClient(seed.id(), hasher.hash(seed.secret()), seed.roles(), seed.scopes()));
    }

    /** The client whose id and secret match; an unknown id costs a hash too. */
    public Optional<OAuthClient> authenticate(String id, String secret) {
        String given = secret == null ? "" : secret;
        Optional<OAuthClient> client = id == null ? Optional.empty() : clients.find(id);
        if (client.isEmpty()) {
            hasher.verifyNobody(given);
            return Optional.empty();
        }
        return hasher.verify(given, client.get().secretHash()) ? client : Optional.empty();
    }
}
