package dev.bazaar.identity;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** OAuth2 client seeding (from configuration) and authentication. */
public final class Clients {
    private static final Logger LOG = Logger.getLogger(Clients.class.getName());

    private final ClientRepository clients;
    private final PasswordHasher hasher;
    /** The configured seeds being applied ({@link #seedInBackground}); authentication waits for them. */
    private volatile CompletableFuture<Void> seeding = CompletableFuture.completedFuture(null);
    private volatile List<Seed> pending = List.of();

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

    /**
     * Applies the configured seeds on a thread of their own, so that identity's start does not wait for them: each
     * costs an Argon2 verification (two when a secret changed), which in a just-started JVM took a quarter of
     * identity's start-up CPU. {@link #authenticate} waits until they are applied, so no client is ever checked
     * against a secret the configuration has replaced; if applying them failed (logged), the next authentication
     * applies them again before it checks.
     */
    public void seedInBackground(List<Seed> seeds) {
        pending = List.copyOf(seeds);
        CompletableFuture<Void> done = new CompletableFuture<>();
        seeding = done;
        Thread.ofVirtual().name("client-seeding").start(() -> {
            try {
                pending.forEach(this::seed);
                done.complete(null);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "could not apply the configured OAuth2 clients (retried at the next client"
                        + " authentication): " + e.getMessage(), e);
                done.completeExceptionally(e);
            }
        });
    }

    private void awaitSeeds() {
        try {
            seeding.join();
        } catch (CompletionException e) {
            synchronized (this) {
                if (seeding.isCompletedExceptionally()) {
                    pending.forEach(this::seed); // throws again if it fails again: this authentication fails
                    seeding = CompletableFuture.completedFuture(null);
                }
            }
        }
    }

    /** The client whose id and secret match; an unknown id costs a hash too. */
    public Optional<OAuthClient> authenticate(String id, String secret) {
        awaitSeeds();
        String given = secret == null ? "" : secret;
        Optional<OAuthClient> client = id == null ? Optional.empty() : clients.find(id);
        if (client.isEmpty()) {
            hasher.verifyNobody(given);
            return Optional.empty();
        }
        return hasher.verify(given, client.get().secretHash()) ? client : Optional.empty();
    }
}
