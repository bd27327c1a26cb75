package dev.bazaar.kit;

import dev.bazaar.contracts.orders.OrderLimits;
import dev.bazaar.contracts.orders.PaymentTokenSeal;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a service's configuration: {@code application.yaml} from the classpath, overridden by system properties and
 * then by environment variables. Every key of {@code application.yaml} can be set by its environment name: upper
 * case, dots and dashes as underscores ({@code DB_URL} sets {@code db.url}, {@code ORDERS_CATALOG_TIMEOUT} sets
 * {@code orders.catalog.timeout}, {@code SECURITY_JWKS_URI} sets {@code security.jwks-uri}). Helidon's own mapping
 * alone cannot reach a key with a dash (it would want {@code SECURITY_JWKS_DASH_URI}), hence the explicit one.
 */
public final class ServiceConfig {
    private static final String APPLICATION_YAML = "application.yaml";
    /** The limits several services share ({@link #orderLimits}), under every service's own application.yaml. */
    public static final String LIMITS_YAML = "limits.yaml";

    private ServiceConfig() {
    }

    /**
     * Configures logging (the classpath's {@code logging.properties}, then {@code LOGGING_CONFIG} and
     * {@code -D<logger>.level} overrides) and loads the configuration.
     */
    public static Config load() {
        LogConfig.configureRuntime();
        LogLevels.applyOverrides();
        return Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .addSource(ConfigSources.create(environmentOverrides(System.getenv())))
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.classpath(APPLICATION_YAML))
                .addSource(ConfigSources.classpath(LIMITS_YAML))
                .build();
    }

    /** Lines per order and quantity per line ({@code orders.max-lines}, {@code orders.max-quantity}). */
    public static OrderLimits orderLimits(Config config) {
        return new OrderLimits(config.get("orders.max-lines").asInt().get(),
                config.get("orders.max-quantity").asInt().get());
    }

    /**
     * The seal of order-placed's payment token, under {@code <service>.payment-token-key} (orders seals, payments
     * opens: the two keys must be equal).
     */
    public static PaymentTokenSeal paymentTokenSeal(Config config, String service) {
        return new PaymentTokenSeal(config.get(service + ".payment-token-key").asString().get());
    }

    /** The values in {@code environment} for the keys of the classpath's {@code application.yaml} and {@code limits.yaml}. */
    static Map<String, String> environmentOverrides(Map<String, String> environment) {
        Config yaml = Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .sources(ConfigSources.classpath(APPLICATION_YAML), ConfigSources.classpath(LIMITS_YAML))
                .build();
        Map<String, String> overrides = new HashMap<>();
        yaml.traverse().filter(Config::isLeaf).forEach(node -> {
            String key = node.key().toString();
            String value = environment.get(environmentName(key));
            if (value != null) {
                overrides.put(key, value);
            }
        });
        return overrides;
    }

    /** The environment variable that sets {@code key}: upper case, dots and dashes as underscores. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The version in the jar's manifest, or {@code 0.0.0-dev} (valid SemVer, as the NATS Service API wants) when run from classes. */
    public static String version(Class<?> mainClass) {
        String version = mainClass.getPackage().getImplementationVersion();
        return version == null ? "0.0.0-dev" : version;
    }
}
