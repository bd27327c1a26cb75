package dev.bazaar.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.bazaar.system.ServiceKeys.ROOT;
import static dev.bazaar.system.YamlTree.at;
import static dev.bazaar.system.YamlTree.map;
import static dev.bazaar.system.YamlTree.maps;
import static dev.bazaar.system.YamlTree.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s, rendered as it is deployed (`kubectl kustomize` of each overlay) and checked without a cluster: every
 * object against the Kubernetes schemas (KubernetesSchemas), then what the project promises of it: each service
 * with probes, sized resources, a hardened container, a disruption budget and an autoscaler; its ConfigMap and
 * Secret together setting exactly the keys it reads; no secret in the manifests; network policies that deny by
 * default; the NATS values agreeing with auth.conf and deploy/secrets.list.
 */
class KubernetesManifestsTest {
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    /**
     * What a deployment sets to another value than the service's application.yaml on purpose (deploy/k8s/README.md,
     * "Configuration"); every other key keeps the service's default, so a changed default shows up here.
     */
    private static final Set<String> DEPLOYMENT_SETTINGS = Set.of("SERVER_HOST", "SERVER_PORT", "DB_URL", "DB_USER",
            "NATS_SERVERS", "EVENTS_REPLICAS", "IDENTITY_ISSUER", "IDENTITY_BOOTSTRAP_ADMIN_EMAIL",
            "IDENTITY_TRUST_FORWARDED_FOR", "SECURITY_JWKS_URI", "SECURITY_ISSUER");
    private static final Map<String, List<Map<String, Object>>> RENDERED = new HashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyRenderedObjectMatchesTheKubernetesSchemas(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        assertThat(objects).hasSizeGreaterThan(5 * 5);
        assertThat(objects.stream().map(KubernetesSchemas::problem).flatMap(Optional::stream)).isEmpty();
    }

    @Test
    void aBrokenManifestFailsTheCheck(@TempDir Path copy) throws Exception {
        copyTree(K8S, copy);
        Path broken = Files.createDirectories(copy.resolve("overlays/broken"));
        Files.writeString(broken.resolve("kustomization.yaml"), """
                resources: [../../base]
                patches:
                  - target: { kind: Deployment, name: bazaar-orders }
                    patch: '[{"op": "add", "path": "/spec/template/spec/containers/0/readinesProbe", "value": {}}]'
                  - target: { kind: Deployment, name: bazaar-payments }
                    patch: '[{"op": "replace", "path": "/spec/template/spec/containers/0/resources/limits/memory", "value": "lots"}]'
                  - target: { kind: Service, name: bazaar-catalog }
                    patch: '[{"op": "remove", "path": "/spec/ports/0/port"}]'
                  - target: { kind: HorizontalPodAutoscaler, name: bazaar-identity }
                    patch: '[{"op": "replace", "path": "/spec/maxReplicas", "value": "many"}]'
                """);
        List<String> problems = Kustomize.build(broken).stream().map(KubernetesSchemas::problem)
                .flatMap(Optional::stream).toList();
        assertThat(problems).hasSize(4)
                .anyMatch(p -> p.contains("`readinesProbe`") && p.contains("not defined"))
                .anyMatch(p -> p.contains("lots"))
                .anyMatch(p -> p.contains("`port`") && p.contains("required"))
                .anyMatch(p -> p.contains("many"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceRunsHardenedWithProbesAndSizedResources(String overlay) throws Exception {
        for (String module : ServiceKeys.serviceModules()) {
            Map<String, Object> deployment = object(overlay, "Deployment", "bazaar-" + module);
            Map<String, Object> pod = map(deployment, "spec", "template", "spec");
            Map<String, Object> container = maps(pod, "containers").getFirst();
            assertThat(at(pod, "securityContext", "runAsNonRoot")).as(module).isEqualTo(true);
            assertThat((Integer) at(pod, "securityContext", "runAsUser")).as(module).isPositive();
            assertThat(at(pod, "automountServiceAccountToken")).as(module).isEqualTo(false);
            assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).as(module).isEqualTo(true);
            assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).as(module).isEqualTo(false);
            assertThat(strings(at(container, "securityContext", "capabilities", "drop"))).as(module).contains("ALL");
            assertThat(at(container, "readinessProbe", "httpGet", "path")).as(module).isEqualTo("/observe/health/ready");
            assertThat(at(container, "livenessProbe", "httpGet", "path")).as(module).isEqualTo("/observe/health/live");
            assertThat(at(container, "startupProbe", "httpGet", "path")).as(module).isEqualTo("/observe/health/live");
            assertThat(at(container, "ports")).as(module).isEqualTo(containerPorts(overlay, module));
            for (String resource : List.of("cpu", "memory")) {
                assertThat(at(container, "resources", "requests", resource)).as(module + " requests").isNotNull();
            }
            assertThat(at(container, "resources", "limits", "memory")).as(module + " memory limit").isNotNull();
            assertThat(at(deployment, "spec", "replicas")).as(module + ": the autoscaler owns replicas").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceHasAServiceADisruptionBudgetAndAnAutoscaler(String overlay) throws Exception {
        for (String module : ServiceKeys.serviceModules()) {
            String name = "bazaar-" + module;
            Map<String, Object> selector = map(object(overlay, "Deployment", name), "spec", "selector", "matchLabels");
            assertThat(at(object(overlay, "Service", name), "spec", "selector")).as(module).isEqualTo(selector);
            assertThat(at(object(overlay, "PodDisruptionBudget", name), "spec", "selector", "matchLabels"))
                    .as(module).isEqualTo(selector);
            Map<String, Object> autoscaler = object(overlay, "HorizontalPodAutoscaler", name);
            assertThat(at(autoscaler, "spec", "scaleTargetRef", "name")).as(module).isEqualTo(name);
            assertThat((Integer) at(autoscaler, "spec", "minReplicas")).as(module)
                    .isLessThanOrEqualTo((Integer) at(autoscaler, "spec", "maxReplicas"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void configMapAndSecretTogetherSetExactlyTheKeysEachServiceReads(String overlay) throws Exception {
        for (String module : ServiceKeys.serviceModules()) {
            Map<String, String> configuration = configuration(overlay, module);
            Map<String, String> secrets = DeploymentSecrets.readBy(module);
            assertThat(configuration.keySet()).as(module + ": a secret in a ConfigMap")
                    .doesNotContainAnyElementsOf(secrets.keySet());
            assertThat(secrets.keySet()).as(module + ": its Secret holds only what it reads")
                    .allMatch(variable -> ServiceKeys.reads(module, variable));
            Set<String> set = new TreeSet<>(configuration.keySet());
            set.addAll(secrets.keySet());
            Set<String> expected = new TreeSet<>(ServiceKeys.settable(module).keySet());
            expected.addAll(secrets.keySet());   // with the secrets of list elements, e.g. identity's clients'
            assertThat(set).as(module).isEqualTo(expected);
            assertThat(secretReferences(overlay, module)).as(module + ": each secret from its Secret, none optional")
                    .isEqualTo(secrets.keySet().stream().collect(Collectors.toMap(variable -> variable,
                            variable -> Map.of("name", module + "-secrets", "key", variable))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void configMapsKeepTheServicesDefaultsButForWhatTheDeploymentSets(String overlay) throws Exception {
        for (String module : ServiceKeys.serviceModules()) {
            Map<String, String> configuration = configuration(overlay, module);
            ServiceKeys.settable(module).forEach((variable, value) -> {
                if (value != null && !DEPLOYMENT_SETTINGS.contains(variable) && configuration.containsKey(variable)) {
                    assertThat(configuration.get(variable)).as(module + " " + variable)
                            .isEqualToIgnoringCase(String.valueOf(value));
                }
            });
            assertThat(configuration).containsEntry("OTEL_SERVICE_NAME", module)
                    .containsEntry("DB_URL", configuration.get("DB_URL").replaceFirst("bazaar_\\w+", "bazaar_" + module))
                    .containsEntry("DB_USER", "bazaar_" + module)
                    .containsEntry("NATS_USER", module);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceTrustsTheIssuerIdentityUses(String overlay) throws Exception {
        String issuer = configuration(overlay, "identity").get("IDENTITY_ISSUER");
        for (String module : ServiceKeys.serviceModules()) {
            if (ServiceKeys.reads(module, "SECURITY_ISSUER")) {
                assertThat(configuration(overlay, module)).as(module).containsEntry("SECURITY_ISSUER", issuer)
                        .containsEntry("SECURITY_JWKS_URI", "http://bazaar-identity/.well-known/jwks.json");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void aGrpcListenerIsPublishedByTheServiceAndAdmittedFromTheIngressController(String overlay) throws Exception {
        List<String> withGrpc = ServiceKeys.serviceModules().stream()
                .filter(module -> ServiceKeys.reads(module, "GRPC_PORT")).toList();
        assertThat(withGrpc).as("services with a gRPC listener (docs/grpc.md)").containsExactly("catalog");
        for (String module : withGrpc) {
            int port = Integer.parseInt(configuration(overlay, module).get("GRPC_PORT"));
            assertThat(maps(object(overlay, "Service", "bazaar-" + module), "spec", "ports")).as(module)
                    .contains(Map.of("name", "grpc", "port", port, "targetPort", "grpc",
                            "appProtocol", "kubernetes.io/h2c"));
            Map<String, Object> policy = object(overlay, "NetworkPolicy", "bazaar-" + module + "-grpc-ingress");
            assertThat(at(policy, "spec", "podSelector", "matchLabels")).as(module)
                    .isEqualTo(Map.of("app.kubernetes.io/name", module));
            assertThat(maps(maps(policy, "spec", "ingress").getFirst(), "ports")).as(module)
                    .containsExactly(Map.of("protocol", "TCP", "port", port));
        }
    }

    /** {@code http} on SERVER_PORT, and {@code grpc} on GRPC_PORT where the service has a gRPC listener. */
    private static List<Map<String, Object>> containerPorts(String overlay, String module) throws Exception {
        Map<String, String> configuration = configuration(overlay, module);
        List<Map<String, Object>> ports = new ArrayList<>(List.of(Map.of("name", "http",
                "containerPort", Integer.parseInt(configuration.get("SERVER_PORT")))));
        if (configuration.containsKey("GRPC_PORT")) {
            ports.add(Map.of("name", "grpc", "containerPort", Integer.parseInt(configuration.get("GRPC_PORT"))));
        }
        return ports;
    }

    @Test
    void productionHoldsNoSecret() throws Exception {
        assertThat(render("production")).noneMatch(object -> "Secret".equals(object.get("kind")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void networkPoliciesDenyByDefaultAndLetOnlyTokenCheckersCallIdentity(String overlay) throws Exception {
        Map<String, Object> deny = object(overlay, "NetworkPolicy", "default-deny");
        assertThat(at(deny, "spec", "podSelector")).isEqualTo(Map.of());
        assertThat(strings(at(deny, "spec", "policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
        for (String need : List.of("dns-egress", "bazaar-http-ingress", "bazaar-nats-egress", "bazaar-postgres-egress",
                "bazaar-otlp-egress", "bazaar-identity-egress", "nats")) {
            assertThat(object(overlay, "NetworkPolicy", need)).isNotNull();
        }
        List<String> tokenCheckers = ServiceKeys.serviceModules().stream()
                .filter(module -> ServiceKeys.reads(module, "SECURITY_JWKS_URI")).toList();
        Map<String, Object> from = maps(maps(object(overlay, "NetworkPolicy", "bazaar-identity-ingress"), "spec",
                "ingress").getFirst(), "from").getFirst();
        assertThat(strings(at(maps(from, "podSelector", "matchExpressions").getFirst(), "values")))
                .containsExactlyInAnyOrderElementsOf(tokenCheckers);
        assertThat(strings(at(maps(object(overlay, "NetworkPolicy", "bazaar-identity-egress"), "spec",
                "podSelector", "matchExpressions").getFirst(), "values")))
                .containsExactlyInAnyOrderElementsOf(tokenCheckers);
    }

    @Test
    void theSecretsScriptGivesEachWorkloadTheSecretItReads(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("deployment.env");
        assertThat(run("bash", "scripts/secrets.sh", "env", env.toString())).isNotNull();
        List<Map<String, Object>> secrets = Kustomize.parse(run("bash", "scripts/secrets.sh", "k8s", env.toString()));
        assertThat(secrets.stream().map(KubernetesSchemas::problem).flatMap(Optional::stream)).isEmpty();
        Map<String, String> values = Files.readAllLines(env).stream().filter(line -> line.matches("[A-Z_0-9]+=.*"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1)));
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        secrets.forEach(secret -> byName.put(String.valueOf(at(secret, "metadata", "name")), secret));
        List<String> workloads = Stream.concat(ServiceKeys.serviceModules().stream(), Stream.of("nats")).toList();
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(
                workloads.stream().map(workload -> workload + "-secrets").toList());
        for (String workload : workloads) {
            Map<String, Object> data = map(byName.get(workload + "-secrets"), "data");
            Map<String, String> expected = new TreeMap<>();
            DeploymentSecrets.readBy(workload).forEach((variable, name) -> expected.put(variable, values.get(name)));
            Map<String, String> decoded = new TreeMap<>();
            data.forEach((variable, value) -> decoded.put(variable,
                    new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)));
            assertThat(decoded).as(workload).isEqualTo(expected);
            assertThat(decoded.values()).as(workload).allMatch(value -> value.length() >= 43);
        }
    }

    @Test
    void theReadmeNamesEverySecretToCreate() throws IOException {
        String readme = Files.readString(K8S.resolve("README.md"));
        for (String workload : Stream.concat(ServiceKeys.serviceModules().stream(), Stream.of("nats")).toList()) {
            assertThat(readme).contains("`" + workload + "-secrets`");
            DeploymentSecrets.readBy(workload).keySet().forEach(variable -> assertThat(readme).as(workload)
                    .contains("`" + variable + "`"));
        }
    }

    @Test
    void natsValuesRunAThreeServerJetStreamClusterWithTheProjectsUsers() throws Exception {
        Map<String, Object> values = ServiceKeys.yaml(K8S.resolve("nats/values.yaml"));
        assertThat(at(values, "config", "cluster", "enabled")).isEqualTo(true);
        assertThat(at(values, "config", "cluster", "replicas")).isEqualTo(3);
        assertThat(at(values, "config", "jetstream", "enabled")).isEqualTo(true);
        assertThat(at(values, "config", "merge", "$include")).isEqualTo("auth.conf");
        Map<String, Object> env = map(values, "container", "env");
        Map<String, String> passwords = DeploymentSecrets.readBy("nats");
        assertThat(env.keySet()).containsExactlyInAnyOrderElementsOf(passwords.keySet());
        env.forEach((variable, source) -> assertThat(at(source, "valueFrom", "secretKeyRef"))
                .isEqualTo(Map.of("name", "nats-secrets", "key", variable)));
        Matcher references = Pattern.compile("\\$([A-Z_]+_NATS_PASSWORD)")
                .matcher(Files.readString(ROOT.resolve("config/nats/auth.conf")));
        Set<String> read = new TreeSet<>();
        while (references.find()) {
            read.add(references.group(1));
        }
        assertThat(read).isEqualTo(passwords.keySet());
        for (String module : ServiceKeys.serviceModules()) {
            Map<String, String> configuration = configuration("production", module);
            assertThat(configuration.get("NATS_SERVERS").split(",")).as(module).hasSize(3);
            if (configuration.containsKey("EVENTS_REPLICAS")) {
                assertThat(configuration.get("EVENTS_REPLICAS")).as(module).isEqualTo("3");
            }
        }
    }

    static synchronized List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
        List<Map<String, Object>> objects = RENDERED.get(overlay);
        if (objects == null) {
            objects = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
            RENDERED.put(overlay, objects);
        }
        return objects;
    }

    private static Map<String, Object> object(String overlay, String kind, String name) throws Exception {
        return render(overlay).stream()
                .filter(object -> kind.equals(object.get("kind")) && name.equals(at(object, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    /** The ConfigMap the service's Deployment reads. */
    private static Map<String, String> configuration(String overlay, String module) throws Exception {
        Map<String, Object> container = maps(object(overlay, "Deployment", "bazaar-" + module), "spec", "template",
                "spec", "containers").getFirst();
        String name = String.valueOf(at(maps(container, "envFrom").getFirst(), "configMapRef", "name"));
        Map<String, String> data = new TreeMap<>();
        map(object(overlay, "ConfigMap", name), "data").forEach((key, value) -> data.put(key, String.valueOf(value)));
        return data;
    }

    /** The Deployment's variables from Secrets: name to secretKeyRef. */
    private static Map<String, Object> secretReferences(String overlay, String module) throws Exception {
        Map<String, Object> container = maps(object(overlay, "Deployment", "bazaar-" + module), "spec", "template",
                "spec", "containers").getFirst();
        assertThat(maps(container, "envFrom")).as(module + ": envFrom is the ConfigMap only").hasSize(1);
        Map<String, Object> references = new TreeMap<>();
        maps(container, "env").forEach(variable -> references.put(String.valueOf(variable.get("name")),
                at(variable, "valueFrom", "secretKeyRef")));
        return references;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
