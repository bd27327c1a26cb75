package dev.bazaar.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * deploy/secrets.list, the one list of a deployment's secrets that compose.yaml, scripts/secrets.sh and the
 * Kubernetes Secrets must agree with.
 *
 * @param name      the secret's name in .env
 * @param consumers container (compose service, Kubernetes workload) to the variable it reads the secret from
 */
record DeploymentSecrets(String name, Map<String, String> consumers) {

    static List<DeploymentSecrets> all() {
        try {
            return Files.readAllLines(ServiceKeys.ROOT.resolve("deploy/secrets.list")).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(DeploymentSecrets::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variables {@code container} reads secrets from, each with the secret's name. */
    static Map<String, String> readBy(String container) {
        Map<String, String> variables = new TreeMap<>();
        all().forEach(secret -> {
            String variable = secret.consumers().get(container);
            if (variable != null) {
                variables.put(variable, secret.name());
            }
        });
        return variables;
    }

    private static DeploymentSecrets parse(String line) {
        String[] fields = line.split("\\s+");
        Map<String, String> consumers = new TreeMap<>();
        Arrays.stream(fields, 2, fields.length).forEach(consumer -> {
            String[] parts = consumer.split(":", 2);
            consumers.put(parts[0], parts[1]);
        });
        return new DeploymentSecrets(fields[0], consumers);
    }
}
