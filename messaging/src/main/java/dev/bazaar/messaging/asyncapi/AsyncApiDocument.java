package dev.bazaar.messaging.asyncapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.StreamSpec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A service's AsyncAPI 3.0 document, built from its {@link Declarations}: a channel per subject it serves, publishes,
 * consumes or subscribes to (request-reply endpoints with their reply on the requester's inbox), an operation per
 * thing it does on a channel, a message per payload record with its JSON Schema ({@link PayloadSchemas}: how the
 * codec writes it) and the headers that travel with it. JetStream has no AsyncAPI binding: streams and durable
 * consumers are the extensions {@code x-jetstream-streams} and {@code x-jetstream-consumers}, and each operation on a
 * stream names them ({@code x-jetstream-stream}, {@code x-jetstream-consumer}). Keys are sorted, so the same
 * declarations give the same document byte for byte.
 */
public final class AsyncApiDocument {
    /** The AsyncAPI version of the documents. */
    public static final String SPEC_VERSION = "3.0.0";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String NATS_BINDING_VERSION = "0.1.0";

    private final Map<String, ObjectNode> channels = new TreeMap<>();
    private final Map<String, ObjectNode> operations = new TreeMap<>();
    private final Map<String, ObjectNode> messages = new TreeMap<>();
    private final PayloadSchemas schemas;

    private AsyncApiDocument(ObjectMapper mapper) {
        this.schemas = new PayloadSchemas(mapper);
    }

    /**
     * The document of service {@code service} (its {@code info.title}); {@code mapper} is the codec's, so that the
     * schemas are what travels.
     */
    public static ObjectNode of(String service, String description, Declarations declarations, ObjectMapper mapper) {
        Objects.requireNonNull(declarations, "declarations");
        return new AsyncApiDocument(mapper).build(service, description, declarations);
    }

    /**
     * The document's version: the highest {@code SCHEMA_VERSION} of the event records the service publishes (see
     * docs/events.md, "Evolution"); 1 when it publishes none.
     */
    public static int schemaVersion(Declarations declarations) {
        return declarations.publications().stream().mapToInt(publication -> schemaVersion(publication.payload()))
                .max().orElse(1);
    }

    /** A record's {@code public static final int SCHEMA_VERSION}, or 1 for a payload without one. */
    static int schemaVersion(Class<?> payload) {
        if (payload == null) {
            return 1;
        }
        try {
            Field field = payload.getField("SCHEMA_VERSION");
            return Modifier.isStatic(field.getModifiers()) && field.getType() == int.class ? field.getInt(null) : 1;
        } catch (NoSuchFieldException | IllegalAccessException e) {
            return 1;
        }
    }

    /** The channel id of an address: AsyncAPI ids allow letters, digits, {@code -} and {@code _} only. */
    public static String channelId(String address) {
        return address.replace('.', '_').replaceAll("[^A-Za-z0-9_-]", "");
    }

    private ObjectNode build(String service, String description, Declarations declarations) {
        for (Declarations.Endpoint endpoint : declarations.endpoints()) {
            endpoint(endpoint);
        }
        for (Declarations.Publication publication : declarations.publications()) {
            String channel = channel(publication, Kind.of(publication));
            ObjectNode operation = operation("publish_" + channel, "send", channel, publication.description());
            if (publication.stream() != null) {
                operation.put("x-jetstream-stream", publication.stream());
            }
        }
        for (Declarations.Consumption consumption : declarations.consumptions()) {
            Declarations.Publication subject = new Declarations.Publication(consumption.subject(),
                    consumption.payload(), consumption.consumer().stream(), null, Map.of());
            String channel = channel(subject, Kind.EVENT);
            operation("consume_" + channelId(consumption.consumer().durable()) + "_" + channel, "receive", channel,
                    "durable consumer " + consumption.consumer().durable() + " (pull, explicit ack)")
                    .put("x-jetstream-consumer", consumption.consumer().durable());
        }
        for (Declarations.Subscription subscription : declarations.subscriptions()) {
            String channel = channel(subscription.channel(), Kind.CORE);
            ObjectNode operation = operation("subscribe_" + channel, "receive", channel,
                    subscription.channel().description());
            if (subscription.queueGroup() != null) {
                operation.set("bindings", queueBinding(subscription.queueGroup()));
            }
        }

        ObjectNode document = JSON.objectNode();
        document.put("asyncapi", SPEC_VERSION);
        document.put("id", "urn:bazaar:" + service);
        ObjectNode info = document.putObject("info");
        info.put("title", service);
        info.put("version", String.valueOf(schemaVersion(declarations)));
        info.put("description", description + " Generated from the service's declarations on NATS (served at GET "
                + "/asyncapi); info.version is the highest schemaVersion of the events it publishes.");
        document.put("defaultContentType", "application/json");
        ObjectNode server = document.putObject("servers").putObject("nats");
        server.put("host", "{host}");
        server.put("protocol", "nats");
        server.put("description", "The deployment's NATS servers; each service connects as its own user with subject "
                + "permissions (config/nats/auth.conf).");
        server.putObject("variables").putObject("host").put("default", "127.0.0.1:4222");
        document.set("channels", object(channels));
        document.set("operations", object(operations));
        ObjectNode components = document.putObject("components");
        components.set("messages", object(messages));
        components.set("schemas", object(new TreeMap<>(schemas.components())));
        document.set("x-jetstream-streams", streams(declarations));
        document.set("x-jetstream-consumers", consumers(declarations));
        return document;
    }

    private void endpoint(Declarations.Endpoint endpoint) {
        Declarations.Publication request = new Declarations.Publication(endpoint.subject(), endpoint.request(), null,
                null, Map.of());
        String channel = channel(request, Kind.REQUEST);
        String replyChannel = channel + "_reply";
        String replyMessage = message(endpoint.reply(), Kind.REPLY);
        ObjectNode reply = channels.computeIfAbsent(replyChannel, id -> JSON.objectNode());
        reply.putNull("address");
        reply.put("description", "The requester's inbox: the reply subject of the request (_INBOX_<user>.>).");
        reply.putObject("messages").putObject(replyMessage).put("$ref", "#/components/messages/" + replyMessage);

        ObjectNode operation = operation("serve_" + channel, "receive", channel,
                "Service API endpoint of " + endpoint.service() + " (" + endpoint.description() + ")");
        operation.set("bindings", queueBinding(endpoint.queueGroup()));
        ObjectNode replyOperation = operation.putObject("reply");
        replyOperation.putObject("channel").put("$ref", "#/channels/" + replyChannel);
        replyOperation.putArray("messages").addObject()
                .put("$ref", "#/channels/" + replyChannel + "/messages/" + replyMessage);
        operation.putObject("x-nats-service").put("name", endpoint.service())
                .put("endpoint", endpoint.subject().substring(endpoint.service().length() + 1));
    }

    /** Adds (or extends) the channel of {@code publication}'s address with its message; returns the channel id. */
    private String channel(Declarations.Publication publication, Kind kind) {
        String id = channelId(publication.address());
        ObjectNode channel = channels.computeIfAbsent(id, key -> {
            ObjectNode created = JSON.objectNode();
            created.put("address", publication.address());
            created.putObject("messages");
            return created;
        });
        if (publication.stream() != null) {
            channel.put("x-jetstream-stream", publication.stream());
        }
        if (!publication.parameters().isEmpty()) {
            ObjectNode parameters = channel.putObject("parameters");
            new TreeMap<>(publication.parameters()).forEach((name, text) ->
                    parameters.putObject(name).put("description", text));
        }
        String message = message(publication.payload(), kind);
        ((ObjectNode) channel.get("messages")).putObject(message).put("$ref", "#/components/messages/" + message);
        return id;
    }

    private ObjectNode operation(String id, String action, String channel, String summary) {
        ObjectNode operation = JSON.objectNode();
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + channel);
        if (summary != null) {
            operation.put("summary", summary);
        }
        ArrayNode refs = operation.putArray("messages");
        channels.get(channel).get("messages").fieldNames().forEachRemaining(message ->
                refs.addObject().put("$ref", "#/channels/" + channel + "/messages/" + message));
        if (operations.putIfAbsent(id, operation) != null) {
            throw new IllegalStateException("operation declared twice: " + id);
        }
        return operation;
    }

    /** Adds the message of a payload type sent as {@code kind}; returns its name. */
    private String message(Class<?> payload, Kind kind) {
        String name = payload == null ? kind.anyPayloadName : PayloadSchemas.componentName(payload);
        if (messages.containsKey(name)) {
            return name;
        }
        ObjectNode message = JSON.objectNode();
        message.put("name", name);
        message.put("title", kind.title + (payload == null ? "" : " " + name));
        message.put("contentType", "application/json");
        message.set("headers", kind.headers());
        if (payload != null) {
            message.set("payload", schemas.schemaOf(payload));
            if (kind == Kind.EVENT) {
                message.put("x-schema-version", schemaVersion(payload));
            }
        }
        messages.put(name, message);
        return name;
    }

    private static ObjectNode queueBinding(String queueGroup) {
        ObjectNode bindings = JSON.objectNode();
        bindings.putObject("nats").put("queue", queueGroup).put("bindingVersion", NATS_BINDING_VERSION);
        return bindings;
    }

    private static ArrayNode streams(Declarations declarations) {
        ArrayNode streams = JSON.arrayNode();
        declarations.streams().stream().sorted(java.util.Comparator.comparing(StreamSpec::name)).forEach(spec -> {
            ObjectNode stream = streams.addObject().put("name", spec.name());
            spec.subjects().forEach(stream.putArray("subjects")::add);
            stream.put("retention", "limits").put("discard", "new");
        });
        return streams;
    }

    private static ArrayNode consumers(Declarations declarations) {
        Map<String, ConsumerSpec> byDurable = new TreeMap<>();
        declarations.consumptions().forEach(consumption ->
                byDurable.put(consumption.consumer().durable(), consumption.consumer()));
        ArrayNode consumers = JSON.arrayNode();
        byDurable.values().forEach(spec -> {
            ObjectNode consumer = consumers.addObject();
            consumer.put("durable", spec.durable()).put("stream", spec.stream())
                    .put("filterSubject", spec.filterSubject()).put("deliverPolicy", "all").put("ackPolicy", "explicit")
                    .put("ackWait", spec.ackWait().toString()).put("maxDeliver", spec.maxDeliver())
                    .put("maxAckPending", spec.maxAckPending());
            spec.backoff().forEach(delay -> consumer.withArray("backoff").add(delay.toString()));
            declarations.consumptions().stream().filter(c -> c.consumer().durable().equals(spec.durable()))
                    .forEach(c -> consumer.withArray("handles").add(c.subject()));
        });
        return consumers;
    }

    private static ObjectNode object(Map<String, ObjectNode> entries) {
        ObjectNode node = JSON.objectNode();
        new LinkedHashMap<>(entries).forEach(node::set);
        return node;
    }

    /** How a message travels, which says its headers. */
    private enum Kind {
        REQUEST("Request", "AnyRequest"),
        REPLY("Reply", "AnyReply"),
        EVENT("Event", "AnyEvent"),
        CORE("Message", "AnyMessage"),
        DEAD_LETTER("Dead letter", "DeadLetter");

        private final String title;
        private final String anyPayloadName;

        Kind(String title, String anyPayloadName) {
            this.title = title;
            this.anyPayloadName = anyPayloadName;
        }

        /** A publication without a payload type into a stream is a dead letter (its original bytes). */
        static Kind of(Declarations.Publication publication) {
            if (publication.stream() == null) {
                return CORE;
            }
            return publication.payload() == null ? DEAD_LETTER : EVENT;
        }

        ObjectNode headers() {
            ObjectNode schema = JSON.objectNode().put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            header(properties, "traceparent", "W3C trace context of the sender's span");
            header(properties, "tracestate", "W3C trace state, when the sender has one");
            switch (this) {
                case EVENT -> {
                    header(properties, "Nats-Msg-Id", "the event id (JetStream drops a duplicate inside the "
                            + "stream's duplicate window)");
                    schema.putArray("required").add("Nats-Msg-Id");
                }
                case REPLY -> {
                    header(properties, "Nats-Service-Error", "on an error: a caller-safe message (the body is "
                            + "then empty)");
                    header(properties, "Nats-Service-Error-Code", "on an error: 400, 401, 403, 404, 409, 413, 500 "
                            + "or 503");
                }
                case DEAD_LETTER -> {
                    for (String name : new String[] {"Dead-Letter-Reason", "Dead-Letter-Error",
                            "Dead-Letter-Deliveries", "Dead-Letter-Stream", "Dead-Letter-Sequence",
                            "Dead-Letter-Consumer", "Dead-Letter-Msg-Id"}) {
                        header(properties, name, "see docs/events.md, Dead letters");
                    }
                    header(properties, "Nats-Msg-Id", "<consumer>:<stream>:<sequence>");
                }
                default -> { }
            }
            return schema;
        }

        private static void header(ObjectNode properties, String name, String description) {
            properties.putObject(name).put("type", "string").put("description", description);
        }
    }
}
