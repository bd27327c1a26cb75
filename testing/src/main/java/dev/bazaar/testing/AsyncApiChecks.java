package dev.bazaar.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of an AsyncAPI document against the code, independent of how it was generated: the records' components
 * against the schemas' properties (by reflection), and subjects against the channels' addresses.
 */
public final class AsyncApiChecks {
    private AsyncApiChecks() {
    }

    /**
     * What the document lacks or has too many of for {@code records} and the records inside them (a component that is
     * a record, or a list of records): each needs a schema in {@code components.schemas} (named by its class name
     * inside its package, {@code OrderInfo.Line}) whose properties are its components, in order. Empty: all
     * documented.
     */
    public static List<String> undocumentedFields(JsonNode document, Collection<Class<?>> records) {
        List<String> problems = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        records.forEach(record -> check(document.path("components").path("schemas"), record, seen, problems));
        return problems;
    }

    private static void check(JsonNode schemas, Class<?> record, Set<Class<?>> seen, List<String> problems) {
        if (!record.isRecord() || !seen.add(record)) {
            return;
        }
        String name = record.getName().substring(record.getName().lastIndexOf('.') + 1).replace('$', '.');
        JsonNode schema = schemas.path(name);
        if (schema.isMissingNode()) {
            problems.add("record " + record.getName() + " has no schema " + name);
            return;
        }
        int before = problems.size();
        List<String> documented = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(documented::add);
        List<String> fields = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fields.add(component.getName());
            if (!documented.contains(component.getName())) {
                problems.add(name + "." + component.getName() + " is not documented");
            }
            nested(component.getGenericType()).forEach(type -> check(schemas, type, seen, problems));
        }
        documented.stream().filter(property -> !fields.contains(property))
                .forEach(property -> problems.add(name + "." + property + " is documented but not a field"));
        if (problems.size() == before && !documented.equals(fields)) {
            problems.add(name + ": properties " + documented + " are not in the order of the fields " + fields);
        }
    }

    /** The record types a component's type holds: itself, or the element type of a collection. */
    private static List<Class<?>> nested(Type type) {
        List<Class<?>> types = new ArrayList<>();
        if (type instanceof Class<?> plain) {
            types.add(plain);
        } else if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                types.addAll(nested(argument));
            }
        }
        return types;
    }

    /** The addresses of the document's channels (a reply channel has none). */
    public static List<String> addresses(JsonNode document) {
        List<String> addresses = new ArrayList<>();
        document.path("channels").forEach(channel -> {
            if (channel.path("address").isTextual()) {
                addresses.add(channel.path("address").asText());
            }
        });
        return addresses;
    }

    /**
     * Whether {@code subject} is on a channel of one of {@code addresses}: equal, or matching its parameters
     * ({@code notifications.live.{customerId}}; a parameter stands for one or more tokens).
     */
    public static boolean documents(Collection<String> addresses, String subject) {
        return addresses.stream().anyMatch(address -> address.equals(subject) || Pattern.matches(
                Pattern.quote(address).replaceAll("\\{[^}]+}", "\\\\E[^ ]+\\\\Q"), subject));
    }
}
