package dev.bazaar.testing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAPI checks themselves, over real HTTP against a small server that answers what each test sets. */
class OpenApiContractTest {
    static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {
               "/things/{id}": {"get": {"responses": {
                 "200": {"description": "ok", "content": {"application/json": {"schema": {
                   "$ref": "#/components/schemas/Thing"}}}},
                 "404": {"$ref": "#/components/responses/NotFound"}}}},
               "/things/special": {"get": {"responses": {"204": {"description": "none"}}}}},
             "components": {
               "responses": {"NotFound": {"description": "no", "content": {"application/problem+json": {
                 "schema": {"$ref": "#/components/schemas/Problem"}}}}},
               "schemas": {
                 "Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string",
                   "format": "uuid"}}},
                 "Problem": {"type": "object", "required": ["status", "title"]}}}}
            """;
    static final String PROBLEM = "{\"status\":404,\"title\":\"Not found\"}";
    final Map<String, String[]> answers = new ConcurrentHashMap<>();
    HttpServer server;
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String[] answer = path.equals("/openapi") ? new String[]{"200", "application/json", DOCUMENT}
                    : answers.getOrDefault(path, new String[]{"404", "application/problem+json", PROBLEM});
            byte[] body = answer[2].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer[1]);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void namesItsOperations() {
        assertThat(OpenApiContract.fetch(base).operations()).containsExactly("GET /things/special",
                "GET /things/{id}");
    }

    @Test
    void aDocumentedAnswerPasses() {
        answers.put("/things/1", new String[]{"200", "application/json; charset=UTF-8",
                "{\"id\":\"00000000-0000-4000-8000-000000000001\"}"});
        answers.put("/things/special", new String[]{"204", "application/json", ""});
        assertThat(TestHttp.get(base + "/things/1").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(base + "/things/special").statusCode()).isEqualTo(204); // the literal path wins
        assertThat(TestHttp.get(base + "/things/2").statusCode()).isEqualTo(404); // a documented problem
        assertThat(TestHttp.get(base + "/elsewhere").statusCode()).isEqualTo(404); // unknown path, a problem
    }

    @Test
    void aBodyThatDoesNotMatchItsSchemaFails() {
        answers.put("/things/1", new String[]{"200", "application/json", "{\"id\":\"not-a-uuid\"}"});
        assertThatThrownBy(() -> TestHttp.get(base + "/things/1")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match").hasMessageContaining("uuid");
        answers.put("/things/1", new String[]{"200", "application/json", "{}"});
        assertThatThrownBy(() -> TestHttp.get(base + "/things/1")).hasMessageContaining("required property 'id'");
    }

    @Test
    void anUndocumentedStatusOrMediaTypeFails() {
        answers.put("/things/1", new String[]{"500", "application/problem+json", PROBLEM});
        assertThatThrownBy(() -> TestHttp.get(base + "/things/1")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("status 500 is not documented");
        answers.put("/things/1", new String[]{"200", "text/html", "<p>hi</p>"});
        assertThatThrownBy(() -> TestHttp.get(base + "/things/1")).hasMessageContaining("text/html is not documented");
    }

    @Test
    void anUndocumentedPathMustBeANotFoundProblem() {
        answers.put("/elsewhere", new String[]{"200", "application/json", "{}"});
        assertThatThrownBy(() -> TestHttp.get(base + "/elsewhere")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a path the document does not name");
    }

    @Test
    void anUndocumentedMethodMustBeRefused() {
        HttpResponse<String> refused = TestHttp.post(base + "/things/1", "{}");
        assertThat(refused.statusCode()).isEqualTo(404);
        answers.put("/things/1", new String[]{"201", "application/json", "{}"});
        assertThatThrownBy(() -> TestHttp.post(base + "/things/1", "{}")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a method the document does not name");
    }
}
