package dev.bazaar.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The products a run reads and orders: the catalog's first page, or ({@code --bench-products N}) N new products
 * with a stock of a million each, created with an admin client's token, so that a long order run neither sells out
 * (409) nor queues on one hot stock row.
 */
final class Products {
    private Products() {
    }

    static List<String> load(HttpClient http, LoadSettings settings, ObjectMapper mapper)
            throws IOException, InterruptedException {
        return settings.benchProducts() > 0 ? create(http, settings, mapper) : firstPage(http, settings, mapper);
    }

    private static List<String> firstPage(HttpClient http, LoadSettings settings, ObjectMapper mapper)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.catalog().resolve("/products"))
                .timeout(settings.timeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        if (response.statusCode() == 200) {
            JsonNode body = mapper.readTree(response.body());
            // {"products":[...]} (Bazaar) or a bare array (the Go peer of ../shared/bench/go-peer)
            for (JsonNode product : body.isArray() ? body : body.path("products")) {
                ids.add(product.path("id").asText());
            }
        }
        return ids;
    }

    private static List<String> create(HttpClient http, LoadSettings settings, ObjectMapper mapper)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(settings.adminClient().getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(settings.identity().resolve("/oauth2/token"))
                .timeout(settings.timeout()).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (token.statusCode() != 200) {
            throw new IOException("the admin client got no token: POST /oauth2/token answered " + token.statusCode());
        }
        String bearer = "Bearer " + mapper.readTree(token.body()).path("access_token").asText();
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.benchProducts(); i++) {
            String body = mapper.writeValueAsString(Map.of("sku", "LOAD-" + batch + "-" + i, "name", "Load item " + i,
                    "price", Map.of("amount", 100, "currency", "EUR"), "stock", 1_000_000));
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(settings.catalog().resolve("/products"))
                    .timeout(settings.timeout()).header("Authorization", bearer)
                    .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IOException("POST /products answered " + created.statusCode() + ": " + created.body());
            }
            ids.add(mapper.readTree(created.body()).path("id").asText());
        }
        return ids;
    }
}
