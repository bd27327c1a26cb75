package dev.bazaar.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.asyncapi.AsyncApiDocument;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

import java.util.Objects;

/**
 * A service's AsyncAPI 3.0 document: generated from what it declares on its NATS connection ({@link
 * AsyncApiDocument}), served unauthenticated at {@value #PATH} (like the health checks, it tells no secret), pointed to
 * by the {@code $SRV.INFO} metadata of its Service API endpoints, and kept in {@code docs/asyncapi/<service>.json}
 * (system-tests' {@code AsyncApiIT} fails when that copy is stale).
 */
public final class AsyncApi {
    /** Where every service serves its document. */
    public static final String PATH = "/asyncapi";

    private final String service;
    private final String description;
    private final NatsMessaging nats;

    private AsyncApi(String service, String description, NatsMessaging nats) {
        this.service = service;
        this.description = description;
        this.nats = nats;
    }

    /**
     * Makes the service's {@code $SRV.INFO} point to its document ({@code asyncapi}: the path, {@code asyncapi.port}:
     * the {@code server.port} configured, unless 0); call it before starting Service API endpoints.
     *
     * @param description one sentence on what the service does, the document's {@code info.description}
     */
    public static AsyncApi announce(String service, String description, NatsMessaging nats, Config server) {
        Objects.requireNonNull(nats, "nats").declarations().documentedAt(PATH, server.get("port").asInt().orElse(0));
        return new AsyncApi(service, description, nats);
    }

    /** The document as the service has declared itself so far. */
    public ObjectNode document() {
        return AsyncApiDocument.of(service, description, nats.declarations(), Json.codec().mapper());
    }

    /** Registers {@code GET} {@value #PATH} on {@code routing} and returns it, for the service's own routes. */
    public HttpRouting.Builder register(HttpRouting.Builder routing) {
        return routing.get(PATH, (req, res) -> res.send(document()));
    }
}
