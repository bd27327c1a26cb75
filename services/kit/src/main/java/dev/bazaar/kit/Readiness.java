package dev.bazaar.kit;

import dev.bazaar.messaging.NatsMessaging;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;

/** Readiness checks for what a service cannot work without. */
public final class Readiness {
    private Readiness() {
    }

    public static HealthCheck nats(NatsMessaging nats) {
        return check("nats", () -> nats.isConnected(), nats.connection()::getConnectedUrl);
    }

    public static HealthCheck database(Database database) {
        return check("database", database::isReachable, () -> null);
    }

    private static HealthCheck check(String name, java.util.function.BooleanSupplier up,
                                     java.util.function.Supplier<String> detail) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                boolean isUp = up.getAsBoolean();
                var response = HealthCheckResponse.builder().status(isUp);
                String value = isUp ? detail.get() : null;
                if (value != null) {
                    response.detail("url", value);
                }
                return response.build();
            }
        };
    }
}
