package dev.bazaar.messaging.events;

import java.util.List;
import java.util.Objects;

/**
 * A stream declared in code, e.g. {@code new StreamSpec("ORDERS", List.of("orders.events.>"))}; how it is stored
 * comes from {@link StreamSettings}.
 *
 * @param name     stream name (no dots, spaces or wildcards)
 * @param subjects subjects it captures; never a request-reply subject
 */
public record StreamSpec(String name, List<String> subjects) {

    public StreamSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(c -> c == '.' || c == '*' || c == '>' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("invalid stream name: '" + name + "'");
        }
        subjects = List.copyOf(Objects.requireNonNull(subjects, "subjects"));
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("stream " + name + " needs at least one subject");
        }
    }
}
