package dev.bazaar.messaging.asyncapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonArrayFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonBooleanFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatTypes;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonIntegerFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonMapFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonNumberFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonStringFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonValueFormat;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON Schemas of payload types as the codec's {@link ObjectMapper} writes them, from Jackson's own schema
 * introspection (its format visitors, which its serializers implement): property names, order and types are those
 * on the wire, {@code java.time} values ISO-8601 strings ({@code date-time}), ids {@code uuid} strings. Each object
 * type becomes a named schema ({@link #components()}) referred to by {@code $ref}; a property whose type is not a Java
 * primitive may be {@code null}, a primitive one is required (the codec refuses it missing).
 */
final class PayloadSchemas {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String REF_PREFIX = "#/components/schemas/";

    private final ObjectMapper mapper;
    private final Map<String, ObjectNode> components = new TreeMap<>();
    private final Map<String, Class<?>> owners = new TreeMap<>();

    PayloadSchemas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The named schemas met so far, by component name. */
    Map<String, ObjectNode> components() {
        return components;
    }

    /** The component name of an object type: its class name inside its package, e.g. {@code OrderInfo.Line}. */
    static String componentName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** The schema of {@code type}: a {@code $ref} for an object type (added to the components), inline otherwise. */
    ObjectNode schemaOf(Class<?> type) {
        return schemaOf(mapper.constructType(type));
    }

    private ObjectNode schemaOf(JavaType type) {
        ObjectNode schema = JSON.objectNode();
        try {
            mapper.acceptJsonFormatVisitor(type, new Visitor(schema, mapper.getSerializerProviderInstance()));
        } catch (JsonMappingException e) {
            throw new IllegalStateException("no JSON schema for " + type + ": " + e.getOriginalMessage(), e);
        }
        return schema;
    }

    /** Fills one schema node with what a serializer reports of its type. */
    private final class Visitor extends JsonFormatVisitorWrapper.Base {
        private final ObjectNode schema;

        Visitor(ObjectNode schema, SerializerProvider provider) {
            super(provider);
            this.schema = schema;
        }

        private Visitor child(ObjectNode node) {
            return new Visitor(node, getProvider());
        }

        @Override
        public JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
            String name = componentName(type.getRawClass());
            schema.put("$ref", REF_PREFIX + name);
            Class<?> owner = owners.putIfAbsent(name, type.getRawClass());
            if (owner != null) {
                if (owner != type.getRawClass()) {
                    throw new IllegalStateException("two payload types named " + name + ": " + owner.getName()
                            + " and " + type.getRawClass().getName());
                }
                return null; // described already (or being described: a recursive type)
            }
            ObjectNode component = JSON.objectNode().put("type", "object");
            ObjectNode properties = component.putObject("properties");
            ArrayNode required = JSON.arrayNode();
            components.put(name, component);
            return new JsonObjectFormatVisitor.Base(getProvider()) {
                @Override
                public void property(BeanProperty property) throws JsonMappingException {
                    add(property);
                }

                @Override
                public void optionalProperty(BeanProperty property) throws JsonMappingException {
                    add(property);
                }

                private void add(BeanProperty property) throws JsonMappingException {
                    JavaType propertyType = property.getType();
                    ObjectNode node = JSON.objectNode();
                    getProvider().findValueSerializer(propertyType, property)
                            .acceptJsonFormatVisitor(child(node), propertyType);
                    if (propertyType.isPrimitive()) {
                        required.add(property.getName());
                        properties.set(property.getName(), node);
                    } else {
                        properties.set(property.getName(), nullable(node));
                    }
                    if (!required.isEmpty()) {
                        component.set("required", required);
                    }
                }
            };
        }

        @Override
        public JsonArrayFormatVisitor expectArrayFormat(JavaType type) {
            schema.put("type", "array");
            return new JsonArrayFormatVisitor.Base(getProvider()) {
                @Override
                public void itemsFormat(JsonFormatVisitable handler, JavaType elementType) throws JsonMappingException {
                    ObjectNode items = schema.putObject("items");
                    handler.acceptJsonFormatVisitor(child(items), elementType);
                }

                @Override
                public void itemsFormat(JsonFormatTypes format) {
                    schema.putObject("items").put("type", format.value());
                }
            };
        }

        @Override
        public JsonMapFormatVisitor expectMapFormat(JavaType type) {
            schema.put("type", "object");
            return new JsonMapFormatVisitor.Base(getProvider()) {
                @Override
                public void valueFormat(JsonFormatVisitable handler, JavaType valueType) throws JsonMappingException {
                    handler.acceptJsonFormatVisitor(child(schema.putObject("additionalProperties")), valueType);
                }
            };
        }

        @Override
        public JsonStringFormatVisitor expectStringFormat(JavaType type) {
            schema.put("type", "string");
            return new JsonStringFormatVisitor.Base() {
                @Override
                public void format(JsonValueFormat format) {
                    schema.put("format", format.toString());
                }

                @Override
                public void enumTypes(Set<String> enums) {
                    enums.forEach(schema.putArray("enum")::add);
                }
            };
        }

        @Override
        public JsonIntegerFormatVisitor expectIntegerFormat(JavaType type) {
            schema.put("type", "integer");
            return new JsonIntegerFormatVisitor.Base() {
                @Override
                public void numberType(JsonParser.NumberType numberType) {
                    switch (numberType) {
                        case INT -> schema.put("format", "int32");
                        case LONG -> schema.put("format", "int64");
                        default -> { }
                    }
                }
            };
        }

        @Override
        public JsonNumberFormatVisitor expectNumberFormat(JavaType type) {
            schema.put("type", "number");
            return null;
        }

        @Override
        public JsonBooleanFormatVisitor expectBooleanFormat(JavaType type) {
            schema.put("type", "boolean");
            return null;
        }
    }

    /** {@code schema}, or null: the codec writes an absent value as {@code null}. */
    private static ObjectNode nullable(ObjectNode schema) {
        if (schema.isEmpty()) {
            return schema; // any value, null included
        }
        if (schema.has("type") && schema.get("type").isTextual()) {
            String type = schema.get("type").asText();
            schema.putArray("type").add(type).add("null");
            return schema;
        }
        ObjectNode either = JSON.objectNode();
        either.putArray("anyOf").add(schema).add(JSON.objectNode().put("type", "null"));
        return either;
    }
}
