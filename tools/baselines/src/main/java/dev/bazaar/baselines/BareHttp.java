package dev.bazaar.baselines;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;

import java.util.UUID;

/**
 * The bare Helidon baseline of {@code GET /products/{id}}: the same WebServer and Jackson as the catalog, one route
 * that parses the id and writes a product-shaped JSON body, and nothing else (no database, security, tracing,
 * metrics or access log). What catalog's figure costs beyond it is Bazaar's own.
 */
final class BareHttp {
    record Price(long amount, String currency) {
    }

    record Product(UUID id, String sku, String name, Price price, int stock) {
    }

    private BareHttp() {
    }

    static WebServer start(int port) {
        ObjectMapper mapper = new ObjectMapper();
        return WebServer.builder().host("127.0.0.1").port(port)
                .routing(routing -> routing.get("/products/{id}", (request, response) -> {
                    UUID id;
                    try {
                        id = UUID.fromString(request.path().pathParameters().get("id"));
                    } catch (IllegalArgumentException e) {
                        response.status(404).send();
                        return;
                    }
                    byte[] body = mapper.writeValueAsBytes(new Product(id, "MUG-BLUE", "Blue mug",
                            new Price(1299, "EUR"), 100));
                    response.header(HeaderValues.CONTENT_TYPE_JSON).send(body);
                })
                .get("/products", (request, response) -> response.header(HeaderValues.CONTENT_TYPE_JSON)
                        .send("{\"products\":[{\"id\":\"00000000-0000-4000-8000-000000000001\"}]}")))
                .build().start();
    }
}
