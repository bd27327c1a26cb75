package dev.bazaar.kit;

import io.helidon.config.Config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keeps the LOCAL DEVELOPMENT DEFAULT secrets (the {@code bazaar} database password, {@code make run}'s NATS
 * passwords, identity's bootstrap admin, client secrets and key-encryption key) from becoming a network exposure.
 * Each service's {@code application.yaml} lists them under {@code local-defaults}, as the keys they would be set to;
 * a service whose webserver listens beyond loopback ({@code server.host} not 127.0.0.1, ::1 or localhost) while
 * any of those keys still has its local default value refuses to start, naming the keys and their environment
 * variables. {@code make run} binds every service to 127.0.0.1, compose and Kubernetes set every secret.
 */
public final class LocalDefaults {
    private static final Logger LOG = Logger.getLogger(LocalDefaults.class.getName());
    static final String NODE = "local-defaults";

    private LocalDefaults() {
    }

    /** @throws IllegalStateException when {@code service} would serve beyond loopback with a local default secret */
    public static void check(String service, Config config) {
        String host = config.get("server.host").asString().orElse("0.0.0.0");
        List<String> inUse = inUse(config);
        if (inUse.isEmpty()) {
            return;
        }
        if (isLoopback(host)) {
            LOG.fine(() -> service + " uses local development defaults for " + inUse + " (loopback only)");
            return;
        }
        throw new IllegalStateException(service + " refuses to listen on " + host
                + " with LOCAL DEVELOPMENT DEFAULT secrets for " + String.join(", ", inUse) + ": set "
                + String.join(", ", inUse.stream().map(ServiceConfig::environmentName).toList())
                + " to secrets of your own (scripts/secrets.sh makes them), or listen on loopback only"
                + " (SERVER_HOST=127.0.0.1)");
    }

    /** The keys whose configured value is still their local default. */
    static List<String> inUse(Config config) {
        Config defaults = config.get(NODE);
        String prefix = defaults.key().toString() + ".";
        List<String> inUse = new ArrayList<>();
        defaults.traverse().filter(Config::isLeaf).forEach(leaf -> {
            String key = leaf.key().toString().substring(prefix.length());
            String localDefault = leaf.asString().orElse(null);
            if (localDefault != null && config.get(key).asString().map(localDefault::equals).orElse(false)) {
                inUse.add(key);
            }
        });
        return inUse;
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // Only literal addresses are parsed here (no lookup for them); a name is looked up once, at start.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
