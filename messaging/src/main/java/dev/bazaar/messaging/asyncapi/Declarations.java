package dev.bazaar.messaging.asyncapi;

import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.StreamSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one service instance declares on its NATS connection, recorded as the code declares it: the Service API
 * endpoints it serves ({@code ServiceEndpoints}), the streams it ensures ({@code Streams.ensure}), the durable consumers
 * and the subjects each handles ({@code EventListener}), and what it publishes or subscribes to on its own
 * ({@link #publishes}, {@link #subscribes}). {@link AsyncApiDocument} turns it into the service's AsyncAPI document,
 * so the document cannot name a subject the code does not use, nor miss one the code declares. Thread-safe.
 */
public final class Declarations {
    /** A Service API endpoint: request-reply on {@code subject}, served in {@code queueGroup}. */
    public record Endpoint(String service, String description, String subject, String queueGroup, Class<?> request,
                           Class<?> reply) {
    }

    /**
     * A subject this service publishes on: into a JetStream {@code stream}, or on core NATS when {@code stream} is
     * null. {@code payload} null means any bytes (a dead letter carries its original message). {@code address} may
     * hold parameters ({@code notifications.live.{customerId}}), each described in {@code parameters}.
     */
    public record Publication(String address, Class<?> payload, String stream, String description,
                              Map<String, String> parameters) {
        public Publication {
            Objects.requireNonNull(address, "address");
            parameters = Map.copyOf(parameters);
        }
    }

    /** One subject a durable consumer handles, and the record its payload decodes to. */
    public record Consumption(ConsumerSpec consumer, String subject, Class<?> payload) {
    }

    /** A core NATS subscription ({@code queueGroup} null: every instance receives every message). */
    public record Subscription(Publication channel, String queueGroup) {
    }

    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private volatile String documentPath;
    private volatile int documentPort;
    private final List<StreamSpec> streams = new CopyOnWriteArrayList<>();
    private final List<Consumption> consumptions = new CopyOnWriteArrayList<>();
    private final List<Publication> publications = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * Where the service serves its document over HTTP ({@code /asyncapi}) and on which port (0 or less: not known
     * before the server starts, as in tests); {@link #serviceMetadata} then points there.
     */
    public void documentedAt(String path, int httpPort) {
        this.documentPath = Objects.requireNonNull(path, "path");
        this.documentPort = httpPort;
    }

    /**
     * The metadata every Service API service of this connection announces in {@code $SRV.INFO}: {@code asyncapi}
     * (the document's HTTP path), {@code asyncapi.port} (when known), {@code asyncapi.spec} (the AsyncAPI version)
     * and {@code schemaVersion} (the document's {@code info.version}: the highest schema version of the events it
     * publishes). Empty when no document is served.
     */
    public Map<String, String> serviceMetadata() {
        String path = documentPath;
        if (path == null) {
            return Map.of();
        }
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("asyncapi", path);
        if (documentPort > 0) {
            metadata.put("asyncapi.port", String.valueOf(documentPort));
        }
        metadata.put("asyncapi.spec", AsyncApiDocument.SPEC_VERSION);
        metadata.put("schemaVersion", String.valueOf(AsyncApiDocument.schemaVersion(this)));
        return metadata;
    }

    /** Recorded by {@code ServiceEndpoints} when it starts an endpoint. */
    public void endpoint(Endpoint endpoint) {
        endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /** Recorded by {@code Streams.ensure}; a stream ensured again replaces its declaration. */
    public void stream(StreamSpec stream) {
        streams.removeIf(existing -> existing.name().equals(stream.name()));
        streams.add(stream);
    }

    /** Recorded by {@code EventListener} for each subject it has a handler for. */
    public void consumes(ConsumerSpec consumer, String subject, Class<?> payload) {
        consumptions.add(new Consumption(consumer, subject, payload));
    }

    /** Declares an event the service publishes into {@code stream} (through its outbox), with its payload record. */
    public Declarations publishes(String subject, Class<?> payload, String stream) {
        return publishes(new Publication(subject, payload, Objects.requireNonNull(stream, "stream"), null, Map.of()));
    }

    /** Declares a subject the service publishes on (core NATS when the publication names no stream). */
    public Declarations publishes(Publication publication) {
        publications.removeIf(existing -> existing.address().equals(publication.address()));
        publications.add(publication);
        return this;
    }

    /** Declares a core NATS subscription of the service (not a durable consumer: those are recorded). */
    public Declarations subscribes(Publication channel, String queueGroup) {
        subscriptions.add(new Subscription(channel, queueGroup));
        return this;
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public List<StreamSpec> streams() {
        return List.copyOf(streams);
    }

    public List<Consumption> consumptions() {
        return List.copyOf(consumptions);
    }

    public List<Publication> publications() {
        return List.copyOf(publications);
    }

    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }
}
