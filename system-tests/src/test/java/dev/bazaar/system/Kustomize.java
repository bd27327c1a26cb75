package dev.bazaar.system;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders a kustomization with {@code kubectl kustomize}: the pinned kubectl that `make test` and `make prereqs`
 * install (scripts/lib.sh, ensure_kubectl; exported as KUBECTL), else the one they left under .run/tools.
 */
final class Kustomize {
    private Kustomize() {
    }

    /** The objects {@code directory}'s kustomization renders, in order; fails with kubectl's message if it cannot. */
    static List<Map<String, Object>> build(Path directory) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl().toString(), "kustomize", directory.toString())
                    .redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize " + directory + " ended").isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + directory + ": " + Files.readString(errors))
                    .isZero();
            return parse(new String(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** The documents of a multi-document YAML stream. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }

    private static Path kubectl() throws IOException {
        String exported = System.getenv("KUBECTL");
        if (exported != null && !exported.isBlank()) {
            return Path.of(exported);
        }
        Path tools = ServiceKeys.ROOT.resolve(".run/tools");
        if (Files.isDirectory(tools)) {
            try (Stream<Path> dirs = Files.list(tools)) {
                var installed = dirs.map(dir -> dir.resolve("kubectl")).filter(Files::isExecutable).sorted().toList();
                if (!installed.isEmpty()) {
                    return installed.getLast();
                }
            }
        }
        throw new AssertionError("no kubectl: run `make prereqs` (it installs the pinned one under .run/tools) or"
                + " `make test`, or set KUBECTL");
    }
}
