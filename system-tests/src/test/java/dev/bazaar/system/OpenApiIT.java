package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.DeclaredRoute;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.OpenApiContract;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestTokens;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service's OpenAPI document ({@code GET /openapi}) against the service itself, all five started together: it
 * names exactly the routes the service serves (its route table, recorded from its code by {@code HttpServers}), its
 * security requirements hold (no token is a 401 where it asks for one, a customer token a 403 where it asks for
 * admin), and the parts every document shares are the same in each. That real responses match its schemas is checked
 * on every answer {@link TestHttp} receives, in this test and every other.
 */
class OpenApiIT {
    static SystemUnderTest system;
    static final Map<String, RunningApp> SERVICES = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        system = SystemUnderTest.start("openapi");
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SERVICES.put("identity", system.start("identity", dev.bazaar.identity.Main::start, spans, Map.of(
                "identity.issuer", "http://identity.openapi",
                "identity.password.memory-kib", "64", "identity.password.iterations", "1")));
        SERVICES.put("catalog", system.start("catalog", dev.bazaar.catalog.Main::start, spans));
        SERVICES.put("orders", system.start("orders", dev.bazaar.orders.Main::start, spans));
        SERVICES.put("payments", system.start("payments", dev.bazaar.payments.Main::start, spans));
        SERVICES.put("notifications", system.start("notifications", dev.bazaar.notifications.Main::start, spans));
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void eachDocumentNamesExactlyTheRoutesItsServiceServes() {
        SERVICES.forEach((name, app) -> {
            OpenApiContract contract = OpenApiContract.fetch(app.baseUrl());
            assertThat(contract.document().path("openapi").asText()).as(name).isEqualTo("3.1.0");
            Set<String> served = app.routes().stream().map(DeclaredRoute::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> documented = contract.operations();
            assertThat(difference(served, documented)).as(name + ": routes missing from openapi/" + name + ".yaml")
                    .isEmpty();
            assertThat(difference(documented, served)).as(name + ": operations in openapi/" + name
                    + ".yaml that the service does not serve").isEmpty();
        });
    }

    @Test
    void securityRequirementsHold() {
        TestTokens tokens = system.tokens;
        SERVICES.forEach((name, app) -> {
            // identity trusts its own tokens only; the others the test issuer's
            String customer = name.equals("identity") ? identityCustomerToken(app) : tokens.customer("openapi-customer");
            JsonNode paths = OpenApiContract.fetch(app.baseUrl()).document().path("paths");
            paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                JsonNode security = operation.getValue().path("security");
                if (!security.isArray() || security.isEmpty() || security.get(0).path("bearer").isMissingNode()) {
                    return; // public, or not only a bearer token (identity's token endpoint)
                }
                String method = operation.getKey().toUpperCase();
                String target = app.baseUrl() + path.getKey().replaceAll("\\{[^}]+}", "1");
                String what = name + " " + method + " " + path.getKey();
                assertThat(send(method, target, null).statusCode()).as(what + " without a token").isEqualTo(401);
                Set<String> roles = new TreeSet<>();
                security.get(0).get("bearer").forEach(role -> roles.add(role.asText()));
                if (roles.equals(Set.of("admin"))) {
                    assertThat(send(method, target, customer).statusCode())
                            .as(what + " with a customer's token").isEqualTo(403);
                }
            }));
        });
    }

    @Test
    void theSharedPartsAreTheSameInEveryDocument() {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        SERVICES.forEach((name, app) -> documents.put(name, OpenApiContract.fetch(app.baseUrl()).document()));
        JsonNode first = documents.get("identity");
        List<String> shared = List.of("/components/securitySchemes/bearer", "/components/schemas/Problem",
                "/components/schemas/Health", "/components/responses/Unauthorized", "/components/responses/NotFound",
                "/paths/~1openapi", "/paths/~1asyncapi", "/paths/~1observe~1health", "/paths/~1observe~1metrics");
        documents.forEach((name, document) -> shared.forEach(pointer ->
                assertThat(document.at(pointer)).as(name + " " + pointer).isEqualTo(first.at(pointer))));
        assertThat(documents.get("orders").at("/paths/~1admin~1dead-letters"))
                .isEqualTo(documents.get("catalog").at("/paths/~1admin~1dead-letters"))
                .isEqualTo(documents.get("payments").at("/paths/~1admin~1dead-letters"));
    }

    @Test
    void theDocumentIsPublicInYamlAndJson() {
        RunningApp orders = SERVICES.get("orders");
        HttpResponse<String> yaml = TestHttp.get(orders.baseUrl() + "/openapi");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/vnd.oai.openapi");
        assertThat(yaml.body()).startsWith("openapi: 3.1.0");
        HttpResponse<String> json = TestHttp.get(orders.baseUrl() + "/openapi?format=JSON");
        assertThat(TestHttp.json(json).path("info").path("title").asText()).isEqualTo("Bazaar orders");
        HttpResponse<String> head = send("HEAD", orders.baseUrl() + "/openapi", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        // a feature's route, like observe's: other methods are 404s (RouteFallbacks knows the service's routes only)
        TestHttp.assertProblem(send("POST", orders.baseUrl() + "/openapi", null), 404, "no resource");
    }

    private static String identityCustomerToken(RunningApp identity) {
        String email = "openapi-" + UUID.randomUUID() + "@example.com";
        String password = "quiet-lantern-orbit-7731";
        assertThat(TestHttp.post(identity.baseUrl() + "/users",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> issued = TestHttp.send(HttpRequest.newBuilder(URI.create(identity.baseUrl()
                        + "/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username="
                        + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password=" + password)));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        return TestHttp.json(issued).get("access_token").asText();
    }

    private static Set<String> difference(Set<String> from, Set<String> minus) {
        Set<String> rest = new TreeSet<>(from);
        rest.removeAll(minus);
        return rest;
    }

    private static HttpResponse<String> send(String method, String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return TestHttp.send(request);
    }
}
