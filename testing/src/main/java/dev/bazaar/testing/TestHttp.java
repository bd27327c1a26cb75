package dev.bazaar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP calls for tests, with bodies as strings, and checks of JSON and problem+json answers. Every answer from a
 * service is checked against the OpenAPI document the service serves ({@link OpenApiContract}): an undocumented
 * status, media type or body shape fails the test that received it.
 */
public final class TestHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp() {
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** GET that gives up after {@code timeout} (a frozen server must not hold a test for the usual 30 s). */
    public static HttpResponse<String> get(String url, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), timeout);
    }

    /** GET with {@code Authorization: Bearer <token>}. */
    public static HttpResponse<String> get(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
    }

    /** POST of a JSON body with {@code Authorization: Bearer <token>}. */
    public static HttpResponse<String> post(String url, String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Posts a body the server is expected to refuse for its size. {@code Expect: 100-continue} lets the server answer
     * 413 before the body is sent, as a well-behaved client does; without it the server's early close races the upload.
     */
    public static HttpResponse<String> postOversized(String url, String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, Duration.ofSeconds(30));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) {
        try {
            HttpRequest built = request.timeout(timeout).build();
            HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            OpenApiContract.checkServed(built, response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body parsed as JSON. */
    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Asserts an RFC 9457 problem with this status whose detail contains {@code detail}. */
    public static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(detail);
    }

    /**
     * Asserts a 401 problem with a Bearer challenge: {@code error="invalid_token"} and the detail as
     * {@code error_description} when a token was sent, no {@code error} when none was.
     */
    public static void assertUnauthorized(HttpResponse<String> response, String detail, boolean tokenSent) {
        assertProblem(response, 401, detail);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow(
                () -> new AssertionError("401 without WWW-Authenticate"));
        assertThat(challenge).startsWith("Bearer realm=\"bazaar\"");
        if (tokenSent) {
            assertThat(challenge).contains("error=\"invalid_token\"").contains("error_description=\"");
        } else {
            assertThat(challenge).doesNotContain("error=");
        }
    }

    /**
     * Asserts what a service answers when no route takes a request: an unknown path is a 404 problem, {@code
     * knownPath} asked with {@code otherMethod} a 405 problem with {@code Allow: allow}, {@code OPTIONS} a 204 with the
     * same {@code Allow}, {@code HEAD} (when GET is allowed) the GET's status without a body. None of it logs above
     * FINE, and the HTTP metrics count them as client errors.
     */
    public static void assertRoutingFallbacks(String baseUrl, String knownPath, String otherMethod, String allow) {
        List<LogRecord> loud = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // Helidon handles each request on a virtual thread; what platform threads log meanwhile (the
                // feature banner after start, NATS connection events), or the messaging library on its own virtual
                // threads (a listener binding), is not about these requests.
                if (record.getLevel().intValue() > Level.FINE.intValue() && Thread.currentThread().isVirtual()
                        && (record.getLoggerName() == null || !record.getLoggerName().startsWith("dev.bazaar.messaging"))) {
                    loud.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            assertProblem(get(baseUrl + "/no/such/path"), 404, "no resource");
            assertProblem(get(baseUrl + "/"), 404, "no resource");
            assertProblem(send(HttpRequest.newBuilder(URI.create(baseUrl + "/no/such/path")).DELETE()), 404, "no resource");
            HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(baseUrl + knownPath))
                    .method(otherMethod, HttpRequest.BodyPublishers.noBody()));
            assertProblem(refused, 405, "not allowed");
            assertThat(refused.headers().firstValue("Allow")).hasValue(allow);
            HttpResponse<String> options = send(HttpRequest.newBuilder(URI.create(baseUrl + knownPath))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(options.statusCode()).isEqualTo(204);
            assertThat(options.headers().firstValue("Allow")).hasValue(allow);
            assertThat(send(HttpRequest.newBuilder(URI.create(baseUrl + "/no/such/path"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
            if (allow.contains("GET")) {
                HttpResponse<String> get = get(baseUrl + knownPath);
                HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(baseUrl + knownPath))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertThat(head.statusCode()).isEqualTo(get.statusCode());
                assertThat(head.body()).isEmpty();
            }
        } finally {
            root.removeHandler(capture);
        }
        assertThat(loud).as("log records above FINE").extracting(LogRecord::getMessage).isEmpty();
        List<String> unmatched = get(baseUrl + "/observe/metrics").body().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count") && line.contains("UNMATCHED"))
                .toList();
        assertThat(unmatched).as("metrics of unrouted requests").isNotEmpty()
                .noneMatch(line -> line.contains("SERVER_ERROR"));
        assertThat(String.join("\n", unmatched)).contains("status=\"404\"");
    }
}
