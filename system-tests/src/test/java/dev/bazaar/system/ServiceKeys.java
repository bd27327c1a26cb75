package dev.bazaar.system;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The services of the repository and the configuration keys each reads, by their environment names, for the checks
 * of what compose.yaml and deploy/k8s pass to them. A key is every leaf of the service's {@code application.yaml}
 * (list elements by index, as Helidon names them: {@code identity.clients.0.secret}), set by its plain environment
 * name (the kit's ServiceConfig: upper case, dots and dashes as underscores).
 */
final class ServiceKeys {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Modules under services/ that are libraries, not services. */
    private static final Set<String> LIBRARIES = Set.of("kit", "contracts");
    /** Read in code (kit's NatsConfig) rather than listed in application.yaml; no dash, so settable by name. */
    private static final Set<String> READ_IN_CODE = Set.of("NATS_USER", "NATS_PASSWORD", "NATS_CREDENTIALS");
    /**
     * Keys that issue 10's security work adds to the services (identity's key-encryption key, orders' OAuth client
     * for client-credentials tokens and identity's record of it): deployments pass them already. Remove each here
     * once its service's application.yaml has it.
     */
    static final Set<String> PENDING = Set.of("IDENTITY_CLIENTS_1_SECRET", "ORDERS_IDENTITY_CLIENT_SECRET");
    /**
     * Top-level nodes of application.yaml that are not settings: issue 10's {@code local-defaults}, the values a service
     * refuses beyond loopback, is data about other keys.
     */
    private static final Set<String> NOT_SETTINGS = Set.of("local-defaults");
    /** What the container image and OpenTelemetry read besides the service's own keys. */
    private static final Set<String> RUNTIME = Set.of("JAVA_OPTS", "OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT");

    private ServiceKeys() {
    }

    static List<String> serviceModules() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("services"))) {
            return dirs.filter(dir -> Files.exists(dir.resolve("src/main/resources/application.yaml")))
                    .map(dir -> dir.getFileName().toString())
                    .filter(name -> !LIBRARIES.contains(name))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> applicationYaml(String module) {
        return yaml(ROOT.resolve("services").resolve(module).resolve("src/main/resources/application.yaml"));
    }

    static Map<String, Object> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every variable {@code module} reads: its keys, the pending ones, the runtime's. */
    static boolean reads(String module, String variable) {
        return leaves(module, true).containsKey(variable) || READ_IN_CODE.contains(variable)
                || PENDING.contains(variable) || RUNTIME.contains(variable);
    }

    /**
     * The variables a deployment sets for {@code module}, to the value in application.yaml: every leaf outside a list
     * (lists, e.g. identity's clients with their roles and scopes, stay in application.yaml; only their secrets come
     * from the environment), the service's NATS user and password, and the runtime's variables (no value here).
     */
    static Map<String, Object> settable(String module) {
        Map<String, Object> settable = new TreeMap<>(leaves(module, false));
        settable.put("NATS_USER", null);
        settable.put("NATS_PASSWORD", null);
        RUNTIME.forEach(variable -> settable.put(variable, null));
        return settable;
    }

    /** Helidon's environment variable convention: upper case, dots (and dashes) as underscores. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, Object> leaves(String module, boolean inLists) {
        Map<String, Object> leaves = new TreeMap<>();
        // Every service's configuration includes the kit's shared limits under its own application.yaml.
        yaml(ROOT.resolve("services/kit/src/main/resources/limits.yaml"))
                .forEach((key, node) -> collect(key, node, inLists, leaves));
        applicationYaml(module).forEach((key, node) -> {
            if (!NOT_SETTINGS.contains(key)) {
                collect(key, node, inLists, leaves);
            }
        });
        return leaves;
    }

    private static void collect(String key, Object node, boolean inLists, Map<String, Object> leaves) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((name, child) -> collect(key + "." + name, child, inLists, leaves));
        } else if (node instanceof List<?> list) {
            for (int i = 0; inLists && i < list.size(); i++) {
                collect(key + "." + i, list.get(i), true, leaves);
            }
        } else {
            leaves.put(environmentName(key), node);
        }
    }
}
