package dev.bazaar.kit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceConfigTest {
    @Test
    void everyKeyOfApplicationYamlIsSetByItsEnvironmentNameDashesIncluded() {
        Map<String, String> overrides = ServiceConfig.environmentOverrides(Map.of(
                "SECURITY_JWKS_URI", "http://identity:8081/.well-known/jwks.json",
                "ORDERS_CATALOG_TIMEOUT", "PT5S",
                "UNRELATED", "x"));

        assertThat(overrides).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.jwks-uri", "http://identity:8081/.well-known/jwks.json",
                "orders.catalog.timeout", "PT5S"));
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(ServiceConfig.environmentName("catalog.reservations.sweep-interval"))
                .isEqualTo("CATALOG_RESERVATIONS_SWEEP_INTERVAL");
    }
}
