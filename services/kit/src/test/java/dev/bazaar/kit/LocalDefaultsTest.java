package dev.bazaar.kit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LocalDefaultsTest {
    @Test
    void aServiceBeyondLoopbackWithALocalDefaultSecretRefusesToStartNamingTheVariables() {
        Config config = config("0.0.0.0", Map.of("db.password", "bazaar", "identity.clients.0.secret", "local-cli"));

        assertThatThrownBy(() -> LocalDefaults.check("identity", config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("identity refuses to listen on 0.0.0.0 with LOCAL DEVELOPMENT DEFAULT secrets")
                .hasMessageContaining("db.password").hasMessageContaining("DB_PASSWORD")
                .hasMessageContaining("IDENTITY_CLIENTS_0_SECRET")
                .hasMessageContaining("SERVER_HOST=127.0.0.1")
                .hasMessageNotContaining("bazaar,").hasMessageNotContaining("local-cli");
    }

    @Test
    void loopbackMayKeepTheDefaultsAndOtherHostsMayHaveRealSecrets() {
        Map<String, String> defaults = Map.of("db.password", "bazaar", "identity.clients.0.secret", "local-cli");
        for (String loopback : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
            assertThatNoException().as(loopback).isThrownBy(() -> LocalDefaults.check("x", config(loopback, defaults)));
        }
        assertThatNoException().isThrownBy(() -> LocalDefaults.check("x", config("0.0.0.0",
                Map.of("db.password", "s3cr3t-from-the-store", "identity.clients.0.secret", "another"))));
        assertThat(LocalDefaults.inUse(config("0.0.0.0", Map.of("db.password", "other",
                "identity.clients.0.secret", "local-cli")))).containsExactly("identity.clients.0.secret");
    }

    /** A configuration with {@code values}, whose local defaults are db.password=bazaar and the client secret. */
    private static Config config(String host, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("server.host", host);
        all.put("local-defaults.db.password", "bazaar");
        all.put("local-defaults.identity.clients.0.secret", "local-cli");
        return Config.just(ConfigSources.create(all));
    }
}
