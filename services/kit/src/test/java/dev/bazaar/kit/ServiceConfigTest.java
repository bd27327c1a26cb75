package dev.bazaar.kit;

import dev.bazaar.contracts.orders.OrderLimits;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceConfigTest {
    @Test
    void everyKeyOfApplicationYamlIsSetByItsEnvironmentNameDashesIncluded() {
        Map<String, String> overrides = ServiceConfig.environmentOverrides(Map.of(
                "SECURITY_JWKS_URI", "http://identity:8081/.well-known/jwks.json",
                "ORDERS_CATALOG_TIMEOUT", "PT5S",
                "ORDERS_MAX_LINES", "250",
                "UNRELATED", "x"));

        assertThat(overrides).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.jwks-uri", "http://identity:8081/.well-known/jwks.json",
                "orders.catalog.timeout", "PT5S",
                "orders.max-lines", "250"));
    }

    @Test
    void orderLimitsHaveTheirDefaultsInLimitsYamlAndEveryServiceReadsTheSameKeys() {
        Config limitsOnly = Config.just(ConfigSources.classpath(ServiceConfig.LIMITS_YAML));
        assertThat(ServiceConfig.orderLimits(limitsOnly)).isEqualTo(new OrderLimits(100, 1000));

        Config raised = Config.just(ConfigSources.create(Map.of("orders.max-lines", "250")),
                ConfigSources.classpath(ServiceConfig.LIMITS_YAML));
        assertThat(ServiceConfig.orderLimits(raised)).isEqualTo(new OrderLimits(250, 1000));
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(ServiceConfig.environmentName("catalog.reservations.sweep-interval"))
                .isEqualTo("CATALOG_RESERVATIONS_SWEEP_INTERVAL");
    }
}
