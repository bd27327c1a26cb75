package dev.bazaar.messaging;

import dev.bazaar.messaging.asyncapi.Declarations;
import io.nats.client.Connection;
import io.nats.service.Group;
import io.nats.service.Service;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Registers typed endpoints on the NATS Service API. A service {@code catalog} with endpoint subject {@code
 * catalog.get-products} becomes group {@code catalog}, endpoint {@code get-products}, queue group {@code catalog}:
 * instances share the load, and {@code $SRV.PING|INFO|STATS[.catalog]} discover them.
 */
public final class ServiceEndpoints {
    private ServiceEndpoints() {
    }

    /** Collects endpoints, then {@link #start()}s them as one service. Not thread-safe; use it once. */
    public static final class Builder {
        private static final Logger LOG = Logger.getLogger(ServiceEndpoints.class.getName());

        private final NatsMessaging messaging;
        private final Consumer<RunningService> onStart;
        private final String name;
        private final String version;
        private final String description;
        private final List<Registration<?, ?>> registrations = new ArrayList<>();
        private final Set<String> subjects = new LinkedHashSet<>();
        private ErrorMapper errorMapper;

        Builder(NatsMessaging messaging, Consumer<RunningService> onStart, String name, String version,
                String description) {
            this.messaging = messaging;
            this.onStart = onStart;
            this.name = Objects.requireNonNull(name, "name");
            this.version = Objects.requireNonNull(version, "version");
            this.description = description;
        }

        /** Maps the service's own exceptions; consulted first, a {@code null} result falls back to the defaults. */
        public Builder errorMapper(ErrorMapper mapper) {
            this.errorMapper = mapper;
            return this;
        }

        /**
         * Adds an endpoint.
         *
         * @param subject     {@code <service name>.<endpoint>}, e.g. {@code catalog.get-products}
         * @param requestType the JSON request body type
         * @param replyType   the JSON reply body type (documented, see {@code Declarations})
         * @param handler     runs on a virtual thread per request
         * @throws IllegalArgumentException if the subject does not start with the service name and a dot, or is
         *                                  registered twice
         */
        public <Q, R> Builder endpoint(String subject, Class<Q> requestType, Class<R> replyType,
                                       RequestHandler<Q, R> handler) {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(requestType, "requestType");
            Objects.requireNonNull(replyType, "replyType");
            Objects.requireNonNull(handler, "handler");
            String prefix = name + ".";
            if (!subject.startsWith(prefix) || subject.length() == prefix.length()) {
                throw new IllegalArgumentException("endpoint subject must start with '" + prefix + "': " + subject);
            }
            if (!subjects.add(subject)) {
                throw new IllegalArgumentException("endpoint registered twice: " + subject);
            }
            registrations.add(new Registration<>(subject, requestType, replyType, handler));
            return this;
        }

        /**
         * Starts the service: subscribes every endpoint and answers discovery. When connected, returns only once the
         * server has seen the subscriptions, so requests sent right after do not meet "no responders".
         */
        public RunningService start() {
            if (registrations.isEmpty()) {
                throw new IllegalStateException("service " + name + " has no endpoints");
            }
            NatsSettings settings = messaging.settings();
            Connection connection = messaging.connection();
            ExecutorService workers = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name(name + "-handler-", 0).factory());
            var service = Service.builder()
                    .connection(connection)
                    .name(name)
                    .version(version)
                    .description(description)
                    .metadata(messaging.declarations().serviceMetadata())
                    .drainTimeout(settings.drainTimeout());
            for (Registration<?, ?> registration : registrations) {
                TypedEndpoint<?, ?> endpoint = registration.endpoint(messaging, name, errorMapper);
                String local = registration.subject().substring(name.length() + 1);
                service.addServiceEndpoint(ServiceEndpoint.builder()
                        .group(new Group(name))
                        .endpointName(local.replace('.', '_')) // names may not contain dots, subjects may
                        .endpointSubject(local)
                        .endpointQueueGroup(name)
                        .handler(message -> dispatch(workers, endpoint, message))
                        .statsDataSupplier(endpoint::stats)
                        .build());
                messaging.declarations().endpoint(new Declarations.Endpoint(name, description,
                        registration.subject(), name, registration.requestType(), registration.replyType()));
            }
            Service started = service.build();
            started.startService(); // completes when the service stops: never wait on it here
            RunningService running = new RunningService(started, workers, settings.drainTimeout());
            onStart.accept(running);
            awaitSubscriptions(connection, settings.connectTimeout());
            LOG.info(() -> "service " + name + " " + version + " started with " + subjects);
            return running;
        }

        /** Runs on the jnats dispatcher thread: hand over at once so that slow handlers block nobody. */
        private static void dispatch(ExecutorService workers, TypedEndpoint<?, ?> endpoint, ServiceMessage message) {
            try {
                workers.execute(() -> endpoint.handle(message));
            } catch (RejectedExecutionException e) {
                endpoint.reject(message, TypedEndpoint.STOPPING);
            }
        }

        private static void awaitSubscriptions(Connection connection, Duration timeout) {
            if (connection.getStatus() != Connection.Status.CONNECTED) {
                return; // subscriptions are sent on (re)connect
            }
            try {
                connection.flush(timeout);
            } catch (TimeoutException | IllegalStateException e) {
                LOG.log(Level.FINE, "flush after service start failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Registration<Q, R>(String subject, Class<Q> requestType, Class<R> replyType,
                                      RequestHandler<Q, R> handler) {
        TypedEndpoint<Q, R> endpoint(NatsMessaging messaging, String queueGroup, ErrorMapper errorMapper) {
            return new TypedEndpoint<>(messaging.connection(), messaging.codec(), messaging.telemetry(), subject,
                    queueGroup, requestType, handler, errorMapper, messaging.settings().maxPayloadBytes());
        }
    }
}
