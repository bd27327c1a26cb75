package dev.bazaar.system;

import dev.bazaar.kit.LocalDefaults;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static dev.bazaar.system.ServiceKeys.ROOT;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every service as shipped (its application.yaml as Helidon reads it) listens on loopback with its LOCAL
 * DEVELOPMENT DEFAULT secrets, and refuses to listen beyond it with them (issue 10): at least the database password
 * is named, and identity's and orders'/payments' own keys.
 */
class LocalDefaultsShippedTest {
    @Test
    void everyShippedServiceStaysOnLoopbackWithItsLocalDefaultsAndRefusesBeyond() {
        for (String service : ServiceKeys.serviceModules()) {
            Path yaml = ROOT.resolve("services").resolve(service).resolve("src/main/resources/application.yaml");
            Config shipped = Config.just(ConfigSources.file(yaml));
            assertThatCode(() -> LocalDefaults.check(service, shipped)).as(service).doesNotThrowAnyException();

            Config beyond = Config.just(ConfigSources.create(Map.of("server.host", "0.0.0.0")), ConfigSources.file(yaml));
            var refused = assertThatThrownBy(() -> LocalDefaults.check(service, beyond)).as(service)
                    .hasMessageContaining(service + " refuses to listen on 0.0.0.0").hasMessageContaining("DB_PASSWORD");
            switch (service) {
                case "identity" -> refused.hasMessageContaining("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD")
                        .hasMessageContaining("IDENTITY_CLIENTS_0_SECRET")
                        .hasMessageContaining("IDENTITY_KEY_ENCRYPTION_KEY");
                case "orders" -> refused.hasMessageContaining("ORDERS_PAYMENT_TOKEN_KEY");
                case "payments" -> refused.hasMessageContaining("PAYMENTS_PAYMENT_TOKEN_KEY");
                default -> { }
            }
        }
    }
}
