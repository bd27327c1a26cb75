package dev.bazaar.system;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading parsed YAML (maps, lists, scalars) in tests: a path that is not there fails with its name. */
final class YamlTree {
    private YamlTree() {
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            assertThat(current).as(String.join(".", path)).isInstanceOf(Map.class);
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object value = at(node, path);
        assertThat(value).as(String.join(".", path)).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object node, String... path) {
        Object value = at(node, path);
        assertThat(value).as(String.join(".", path)).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    static List<String> strings(Object list) {
        assertThat(list).isInstanceOf(List.class);
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
