package dev.bazaar.system;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bazaar.system.ServiceKeys.ROOT;
import static dev.bazaar.system.YamlTree.at;
import static dev.bazaar.system.YamlTree.map;
import static dev.bazaar.system.YamlTree.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker cannot run where the tests run (no engine, no compose plugin; Debian's docker-compose 1.29 predates the
 * Compose Specification's top-level name), so compose.yaml and the Dockerfile are checked statically: every service
 * module has a compose service built from the one Dockerfile, that scales (no fixed host port; its HTTP port,
 * and catalog's gRPC port, published on 127.0.0.1 only) and waits for what it needs; every variable compose passes to a service is one that
 * service reads (in the kit's convention, {@code DB_URL} is {@code db.url}); every secret comes from .env as
 * deploy/secrets.list says, with no default; the image has a readiness healthcheck and a non-root user.
 */
class ComposeFileTest {
    /** A reference to a variable of .env in compose.yaml: ${NAME}, ${NAME:-default}, ${NAME:?message}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z_0-9]+)(:?[-?])?([^}]*)}");
    /** A reference that compose refuses to start without: ${NAME:?message}. */
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z_0-9]+):\\?[^}]+}");

    @Test
    void everyServiceModuleHasAScalableComposeServiceFromTheDockerfile() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        for (String module : ServiceKeys.serviceModules()) {
            assertThat(services).as("compose service for module " + module).containsKey(module);
            Map<String, Object> service = services.get(module);
            Map<String, Object> application = ServiceKeys.applicationYaml(module);
            List<String> ports = new ArrayList<>(List.of("127.0.0.1::" + at(application, "server", "port")));
            if (application.containsKey("grpc")) { // catalog's gRPC listener (docs/grpc.md)
                ports.add("127.0.0.1::" + at(application, "grpc", "port"));
            }
            assertThat(at(service, "build", "args", "SERVICE")).isEqualTo(module);
            assertThat(at(service, "build", "dockerfile")).isEqualTo("Dockerfile");
            assertThat(strings(service.get("ports"))).as(module + ": a free host port per replica, on loopback")
                    .containsExactlyElementsOf(ports);
            assertThat(service).as(module + ": the image's healthcheck and user").doesNotContainKeys("healthcheck",
                    "user", "container_name");
            assertThat(service).containsEntry("read_only", true);
            assertThat(strings(service.get("cap_drop"))).containsExactly("ALL");
            assertThat(at(service, "depends_on", "nats", "condition")).isEqualTo("service_healthy");
            assertThat(at(service, "depends_on", "postgres", "condition")).isEqualTo("service_healthy");
        }
    }

    @Test
    void onlyWhatAUserNeedsIsPublished() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        assertThat(services.get("nats")).doesNotContainKey("ports");
        assertThat(services.get("postgres")).doesNotContainKey("ports");
        assertThat(strings(services.get("jaeger").get("ports"))).containsExactly("127.0.0.1:16686:16686");
    }

    @Test
    void theImageChecksReadinessAndRunsAsANonRootUser() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtime).containsPattern("(?m)^HEALTHCHECK .*\\n?.*CMD .*/observe/health/ready");
        Matcher user = Pattern.compile("(?m)^USER (\\d+)(:\\d+)?$").matcher(runtime);
        assertThat(user.find()).as("a numeric USER in the runtime stage").isTrue();
        assertThat(Integer.parseInt(user.group(1))).isPositive();
        assertThat(runtime).as("nothing runs as root after USER").doesNotContainPattern("(?m)^USER (root|0)\\b");
        // The healthcheck finds the port the way the build stage reads it: the first "  port:" of application.yaml.
        for (String module : ServiceKeys.serviceModules()) {
            String firstPort = Files.readAllLines(ROOT.resolve("services/" + module
                    + "/src/main/resources/application.yaml")).stream().filter(line -> line.matches("^  port: *\\d+.*"))
                    .findFirst().orElseThrow().replaceAll("\\D+", " ").strip().split(" ")[0];
            assertThat(firstPort).as(module).isEqualTo(
                    String.valueOf(at(ServiceKeys.applicationYaml(module), "server", "port")));
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
            Map<String, Object> environment = map(entry.getValue(), "environment");
            for (String variable : environment.keySet()) {
                assertThat(ServiceKeys.reads(name, variable)).as(name + ": " + variable + " sets no key " + name
                        + " reads").isTrue();
            }
            assertThat(environment).as(name).containsEntry("OTEL_SERVICE_NAME", name)
                    .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318")
                    .containsEntry("DB_URL", "jdbc:postgresql://postgres:5432/bazaar_" + name)
                    .containsEntry("DB_USER", "bazaar_" + name)
                    .containsEntry("NATS_USER", name)
                    .containsEntry("NATS_SERVERS", "nats://nats:4222")
                    .containsEntry("SERVER_HOST", "0.0.0.0");
        }
    }

    @Test
    void everyServiceTrustsTheIssuerIdentityUses() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        Object issuer = map(services.get("identity"), "environment").get("IDENTITY_ISSUER");
        for (String module : ServiceKeys.serviceModules()) {
            if (ServiceKeys.reads(module, "SECURITY_ISSUER")) {
                assertThat(map(services.get(module), "environment")).as(module)
                        .containsEntry("SECURITY_ISSUER", issuer)
                        .containsEntry("SECURITY_JWKS_URI", "http://identity:8081/.well-known/jwks.json");
            }
        }
    }

    @Test
    void everySecretComesFromDotEnvAsTheSecretsListSays() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        Set<String> listed = new TreeSet<>();
        for (DeploymentSecrets secret : DeploymentSecrets.all()) {
            listed.add(secret.name());
            secret.consumers().forEach((container, variable) -> {
                assertThat(services).as(secret.name() + " is read by " + container).containsKey(container);
                Object value = map(services.get(container), "environment").get(variable);
                Matcher required = REQUIRED.matcher(String.valueOf(value));
                assertThat(required.matches()).as(container + " " + variable + " = ${" + secret.name()
                        + ":?...}: from .env, no default").isTrue();
                assertThat(required.group(1)).as(container + " " + variable).isEqualTo(secret.name());
            });
        }
        // and nothing else of .env is used, nor any default for a secret
        Matcher references = REFERENCE.matcher(Files.readString(ROOT.resolve("compose.yaml")));
        while (references.find()) {
            String variable = references.group(1);
            assertThat(listed.contains(variable) || variable.equals("JAVA_OPTS"))
                    .as("${" + variable + "} in compose.yaml is not in deploy/secrets.list").isTrue();
            if (listed.contains(variable)) {
                assertThat(references.group(2)).as("${" + variable + "} must be required").isEqualTo(":?");
            }
        }
        services.forEach((name, service) -> assertThat(service).as(name).doesNotContainKey("env_file"));
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains(".env");
    }

    @Test
    void infrastructureIsConfiguredFromTheProjectsFiles() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        assertThat(strings(services.get("nats").get("volumes"))).anyMatch(v -> v.startsWith("./config/nats:"));
        assertThat(strings(services.get("nats").get("command"))).contains("-c", "/etc/nats/local.conf");
        assertThat(ROOT.resolve("config/nats/local.conf")).exists();
        assertThat(strings(services.get("postgres").get("volumes")))
                .contains("./config/postgres:/docker-entrypoint-initdb.d:ro");
        // one role and database per service, the role's password from the variable compose passes to postgres
        String init = Files.readString(ROOT.resolve("config/postgres/init-databases.sh"));
        Map<String, Object> postgres = map(services.get("postgres"), "environment");
        for (String module : ServiceKeys.serviceModules()) {
            assertThat(init).as("init script creates bazaar_" + module).containsPattern("for service in .*\\b" + module + "\\b");
            assertThat(postgres).containsKey(module.toUpperCase(java.util.Locale.ROOT) + "_DB_PASSWORD");
        }
        assertThat(init).contains("_DB_PASSWORD").contains("CREATE ROLE").contains("OWNER");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> composeServices() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("compose.yaml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }
}
