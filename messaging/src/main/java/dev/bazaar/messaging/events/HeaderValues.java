package dev.bazaar.messaging.events;

import io.nats.client.impl.Headers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** NATS headers seen as a plain map (first value of each key), as records expose them. */
final class HeaderValues {
    private HeaderValues() {
    }

    static Map<String, String> firstOf(Headers headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        headers.forEach((key, list) -> {
            if (list != null && !list.isEmpty()) {
                values.put(key, list.get(0));
            }
        });
        return Collections.unmodifiableMap(values);
    }
}
