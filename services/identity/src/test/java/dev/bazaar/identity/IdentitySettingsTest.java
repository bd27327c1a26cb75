package dev.bazaar.identity;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped {@code application.yaml} parses into the documented defaults, and they are usable. */
class IdentitySettingsTest {
    final IdentitySettings settings = IdentitySettings.from(
            Config.just(ConfigSources.classpath("application.yaml")).get("identity"));

    @Test
    void theShippedLocalDefaultsAreRefusedBeyondLoopbackAndAcceptedOnIt() {
        Config beyond = Config.just(ConfigSources.create(java.util.Map.of("server.host", "0.0.0.0")),
                ConfigSources.classpath("application.yaml"));
        assertThatThrownBy(() -> dev.bazaar.kit.LocalDefaults.check("identity", beyond))
                .hasMessageContaining("identity refuses to listen on 0.0.0.0")
                .hasMessageContaining("DB_PASSWORD").hasMessageContaining("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD")
                .hasMessageContaining("IDENTITY_CLIENTS_0_SECRET").hasMessageContaining("IDENTITY_KEY_ENCRYPTION_KEY");
        assertThatCode(() -> dev.bazaar.kit.LocalDefaults.check("identity",
                Config.just(ConfigSources.classpath("application.yaml")))).as("127.0.0.1 by default")
                .doesNotThrowAnyException();
    }

    @Test
    void shipsTheDocumentedDefaults() {
        assertThat(settings.issuer()).isEqualTo("http://127.0.0.1:8081");
        assertThat(settings.adminScopes()).containsExactly("payments");
        assertThat(settings.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.refreshTokenTtl()).isEqualTo(Duration.ofDays(14));
        assertThat(settings.passwordCost()).isEqualTo(PasswordHasher.Argon2Cost.OWASP);
        assertThat(settings.maxFailures()).isEqualTo(5);
        assertThat(settings.failureWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.trustForwardedFor()).isFalse();
        assertThat(settings.userScopes()).containsExactly("identity", "orders", "catalog", "notifications");
        assertThat(settings.clients()).singleElement().satisfies(client -> {
            assertThat(client.id()).isEqualTo("bazaar-admin-cli");
            assertThat(client.roles()).isEqualTo(List.of("admin"));
            assertThat(client.scopes()).containsExactly("identity", "orders", "catalog", "notifications", "payments");
        });
    }

    @Test
    void aStringSetOverAYamlListReplacesIt() {
        // IDENTITY_CLIENTS_0_SCOPES="catalog admin" over the shipped list, as an environment variable sets it
        IdentitySettings overridden = IdentitySettings.from(Config.just(
                ConfigSources.create(java.util.Map.of("identity.clients.0.scopes", "catalog admin")),
                ConfigSources.classpath("application.yaml")).get("identity"));

        assertThat(overridden.clients().get(0).scopes()).containsExactly("catalog", "admin");
        assertThat(overridden.clients().get(0).roles()).as("a list nobody overrode").containsExactly("admin");
    }

    @Test
    void theBootstrapAdminDefaultMeetsThePasswordRules() {
        assertThatCode(() -> PasswordPolicy.check(settings.adminPassword(), EmailAddress.normalize(settings.adminEmail())))
                .doesNotThrowAnyException();
    }

    @Test
    void keepsSecretsOutOfToString() {
        assertThat(settings.toString()).doesNotContain(settings.adminPassword())
                .doesNotContain(settings.clients().get(0).secret());
    }
}
