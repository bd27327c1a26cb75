package dev.bazaar.system;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker cannot run where the tests run, so {@code compose.yaml} is checked statically: every service module has a
 * compose service built from the one Dockerfile with its port and a readiness healthcheck, every variable compose
 * passes to a service is one that service reads (in Helidon's convention, {@code DB_URL} is {@code db.url}), and
 * services wait for what they need to be healthy.
 */
class ComposeFileTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Modules under services/ that are libraries, not services. */
    static final Set<String> LIBRARIES = Set.of("kit", "contracts");
    /** Optional keys read in code rather than listed in application.yaml (see kit's NatsConfig). */
    static final Set<String> KEYS_READ_IN_CODE = Set.of("nats.user", "nats.password", "nats.credentials",
            "nats.connect-timeout", "nats.reconnect-wait-max", "nats.drain-timeout");

    @Test
    void everyServiceModuleHasAComposeServiceWithItsPortAndReadinessHealthcheck() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        for (String module : serviceModules()) {
            assertThat(services).as("compose service for module " + module).containsKey(module);
            Map<String, Object> service = services.get(module);
            int port = ((Number) at(applicationYaml(module), "server", "port")).intValue();
            assertThat(at(service, "build", "args", "SERVICE")).isEqualTo(module);
            assertThat(at(service, "build", "dockerfile")).isEqualTo("Dockerfile");
            assertThat((List<?>) service.get("ports")).map(String::valueOf).contains(port + ":" + port);
            assertThat(String.join(" ", strings(at(service, "healthcheck", "test"))))
                    .contains("http://127.0.0.1:" + port + "/observe/health/ready");
            assertThat(at(service, "depends_on", "nats", "condition")).isEqualTo("service_healthy");
            assertThat(at(service, "depends_on", "postgres", "condition")).isEqualTo("service_healthy");
        }
    }

    @Test
    void everyVariablePassedToAServiceIsAKeyItReads() throws IOException {
        for (Map.Entry<String, Map<String, Object>> entry : composeServices().entrySet()) {
            String name = entry.getKey();
            if (!(entry.getValue().get("build") instanceof Map<?, ?>)) {
                continue;   // nats, postgres, jaeger: images configured their own way
            }
            assertThat(ROOT.resolve("services").resolve(name)).as("compose service without a module").isDirectory();
            Set<String> keys = new TreeSet<>(KEYS_READ_IN_CODE);
            flatten("", applicationYaml(name), keys);
            @SuppressWarnings("unchecked")
            Map<String, Object> environment = (Map<String, Object>) entry.getValue().get("environment");
            for (String variable : environment.keySet()) {
                if (variable.startsWith("OTEL_") || variable.equals("JAVA_OPTS") || variable.equals("LOGGING_CONFIG")) {
                    continue;
                }
                assertThat(keys).as(name + ": " + variable + " overrides no key " + name + " reads")
                        .anyMatch(key -> environmentName(key).equals(variable));
            }
            assertThat(environment).as(name).containsEntry("OTEL_SERVICE_NAME", name)
                    .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318")
                    .containsEntry("DB_URL", "jdbc:postgresql://postgres:5432/bazaar_" + name)
                    .containsEntry("NATS_SERVERS", "nats://nats:4222");
        }
    }

    @Test
    void infrastructureIsConfiguredFromTheProjectsFiles() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        assertThat(strings(services.get("nats").get("volumes"))).anyMatch(v -> v.startsWith("./config/nats:"));
        assertThat(strings(services.get("nats").get("command"))).contains("-c", "/etc/nats/local.conf");
        assertThat(ROOT.resolve("config/nats/local.conf")).exists();
        assertThat(strings(services.get("postgres").get("volumes")))
                .contains("./config/postgres:/docker-entrypoint-initdb.d:ro");
        String init = Files.readString(ROOT.resolve("config/postgres/init-databases.sh"));
        for (String module : serviceModules()) {
            assertThat(init).as("init script creates bazaar_" + module).containsPattern("for service in .*\\b" + module + "\\b");
        }
        assertThat(strings(services.get("jaeger").get("ports"))).contains("16686:16686", "4317:4317", "4318:4318");
    }

    /** Helidon's environment variable convention: upper case, dots (and dashes) as underscores. */
    static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static List<String> serviceModules() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("services"))) {
            return dirs.filter(dir -> Files.exists(dir.resolve("src/main/resources/application.yaml")))
                    .map(dir -> dir.getFileName().toString())
                    .filter(name -> !LIBRARIES.contains(name))
                    .sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> composeServices() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("compose.yaml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    static Map<String, Object> applicationYaml(String module) throws IOException {
        try (Reader reader = Files.newBufferedReader(
                ROOT.resolve("services").resolve(module).resolve("src/main/resources/application.yaml"))) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static void flatten(String prefix, Map<String, Object> node, Set<String> keys) {
        node.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            keys.add(path);
            if (value instanceof Map<?, ?> child) {
                flatten(path, (Map<String, Object>) child, keys);
            }
        });
    }

    static Object at(Map<String, Object> node, String... path) {
        Object current = node;
        for (String key : path) {
            assertThat(current).as(String.join(".", path)).isInstanceOf(Map.class);
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }

    static List<String> strings(Object list) {
        assertThat(list).isInstanceOf(List.class);
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
