package dev.bazaar.kit;

import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.EventListener;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.List;

/** Readiness checks for what a service cannot work without. */
public final class Readiness {
    private Readiness() {
    }

    public static HealthCheck nats(NatsMessaging nats) {
        return check("nats", () -> nats.isConnected(), nats.connection()::getConnectedUrl);
    }

    /**
     * Up when JetStream answers. Whether each listener is bound yet is shown as a detail but does not fail
     * readiness: a consumer binds once the producing service has created its stream, and making readiness wait for
     * that would chain the services' start-up to each other.
     */
    public static HealthCheck jetStream(NatsMessaging nats, List<EventListener> listeners) {
        return new HealthCheck() {
            @Override
            public String name() {
                return "jetstream";
            }

            @Override
            public HealthCheckResponse call() {
                var response = HealthCheckResponse.builder().status(jetStreamAnswers(nats));
                listeners.forEach(listener -> response.detail(listener.spec().durable(), listener.isBound() ? "bound" : "waiting"));
                return response.build();
            }
        };
    }

    private static boolean jetStreamAnswers(NatsMessaging nats) {
        if (!nats.isConnected()) {
            return false;
        }
        try {
            nats.connection().jetStreamManagement().getAccountStatistics();
            return true;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return false;
        }
    }

    /** Down once the service has begun to stop (the first step of its shutdown), so that no new traffic comes. */
    public static HealthCheck notStopping(java.util.concurrent.atomic.AtomicBoolean stopping) {
        return check("shutdown", () -> !stopping.get(), () -> null);
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
