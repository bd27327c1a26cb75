package dev.bazaar.kit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

/**
 * Loads a service's configuration: {@code application.yaml} from the classpath, overridden by system properties
 * and then by environment variables in Helidon's convention ({@code DB_URL} overrides {@code db.url}).
 */
public final class ServiceConfig {
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
                .sources(ConfigSources.environmentVariables(),
                        ConfigSources.systemProperties(),
                        ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** The version in the jar's manifest, or {@code 0.0.0-dev} (valid SemVer, as the NATS Service API wants) when run from classes. */
    public static String version(Class<?> mainClass) {
        String version = mainClass.getPackage().getImplementationVersion();
        return version == null ? "0.0.0-dev" : version;
    }
}
