package dev.bazaar.catalog;

import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a service's {@code Main} checks before it starts anything (every Main calls the kit's checks the same way). */
class MainTest {
    @Test
    void refusesALocalDefaultSecretBeyondLoopbackBeforeAnythingStarts() {
        // The database is unreachable: had Main opened it first, the failure would be a different one.
        Config config = Config.just(ConfigSources.create(Map.of("server.host", "0.0.0.0", "server.port", "0",
                "db.url", "jdbc:postgresql://127.0.0.1:9/none", "nats.servers", "nats://127.0.0.1:9")),
                ConfigSources.classpath("application.yaml"), ConfigSources.classpath("limits.yaml"));
        assertThatThrownBy(() -> Main.start(config, Telemetry.forTests("catalog", InMemorySpanExporter.create())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("catalog refuses to listen");
    }
}
