package dev.bazaar.identity;

import java.util.logging.Logger;

/**
 * What identity makes sure of at start: a signing key, the configured clients (applied in the background: client
 * authentication waits for them), the bootstrap admin.
 */
final class Bootstrap {
    private static final Logger LOG = Logger.getLogger(Bootstrap.class.getName());

    private Bootstrap() {
    }

    static void run(IdentitySettings settings, UserService users, Clients clients, SigningKeys keys) {
        keys.ensureActive();
        clients.seedInBackground(settings.clients()); // authentication waits for them
        if (settings.adminEmail() != null && settings.adminPassword() != null
                && users.ensureAdmin(settings.adminEmail(), settings.adminPassword())) {
            LOG.info(() -> "created the bootstrap admin " + settings.adminEmail());
        }
    }
}
