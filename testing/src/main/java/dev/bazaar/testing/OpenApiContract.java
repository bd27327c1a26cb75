package dev.bazaar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A service's OpenAPI 3.1 document, as the service serves it ({@code GET /openapi?format=JSON}), and the checks
 * against it: the operations it names ({@link #operations}, compared with the service's route table) and whether a
 * real response is one it describes ({@link #check}: the path, method and status are documented, the media type is
 * one of the documented ones, and a JSON body matches the schema, JSON Schema 2020-12 with formats asserted, through
 * networknt's json-schema-validator). {@link TestHttp} checks every response it receives this way.
 */
public final class OpenApiContract {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    /** Documents by origin; {@link Optional#empty()} for an origin that serves none (a test's own JWKS server). */
    private static final Map<String, Optional<OpenApiContract>> BY_ORIGIN = new ConcurrentHashMap<>();

    private record Template(String path, Pattern pattern, int literalSegments) {
    }

    private final JsonNode document;
    private final List<Template> templates;
    private final JsonSchemaFactory schemas;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final String iri;

    private OpenApiContract(String iri, String json) {
        this.iri = iri;
        try {
            this.document = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("the OpenAPI document at " + iri + " is not JSON", e);
        }
        this.templates = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(path -> templates.add(template(path)));
        // a literal segment beats a parameter: /notifications/stream before /notifications/{id}
        templates.sort(Comparator.comparingInt(Template::literalSegments).reversed());
        this.schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(iri, json))));
    }

    /** The document {@code baseUrl} serves at {@code /openapi}; fails when it serves none. */
    public static OpenApiContract fetch(String baseUrl) {
        return served(baseUrl).orElseThrow(() -> new AssertionError(baseUrl + " serves no OpenAPI document"));
    }

    /** A document given as JSON, e.g. to test these checks themselves. */
    public static OpenApiContract of(String json) {
        return new OpenApiContract("urn:bazaar:openapi:" + Integer.toHexString(json.hashCode()), json);
    }

    private static Optional<OpenApiContract> served(String baseUrl) {
        HttpResponse<String> response;
        try {
            response = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + "/openapi"))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        return Optional.of(new OpenApiContract(baseUrl + "/openapi", response.body()));
    }

    /**
     * Checks a response received from a service against the document its origin serves (fetched once per origin;
     * again when a check fails, since a later test's service may have the port of an earlier one). An origin that
     * serves no document (not a Bazaar service) is not checked.
     *
     * @throws AssertionError when the response is not one the document describes
     */
    static void checkServed(HttpRequest request, HttpResponse<String> response) {
        URI uri = request.uri();
        String origin = uri.getScheme() + "://" + uri.getAuthority();
        if (uri.getRawPath().equals("/openapi") && request.method().equals("GET")) {
            return; // the document itself: its route is checked by the route-table test
        }
        Optional<OpenApiContract> contract = BY_ORIGIN.computeIfAbsent(origin, OpenApiContract::served);
        if (contract.isEmpty()) {
            return;
        }
        try {
            contract.get().check(request.method(), uri.getRawPath(), response);
        } catch (AssertionError first) {
            Optional<OpenApiContract> again = served(origin);
            BY_ORIGIN.put(origin, again);
            if (again.isEmpty() || again.get().document.equals(contract.get().document)) {
                throw first;
            }
            again.get().check(request.method(), uri.getRawPath(), response);
        }
    }

    /** Every operation as {@code METHOD /path/{param}}, sorted. */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> {
                    if (METHODS.contains(method)) {
                        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return operations;
    }

    /** The document as served (JSON). */
    public JsonNode document() {
        return document;
    }

    /**
     * Asserts that the document describes {@code response} to {@code method path} (the raw path, no query). A path
     * the document does not name must have been answered 404, a method it does not name there 404 or 405 (or 204 to
     * OPTIONS), each with a problem body; a HEAD is checked as the GET without a body.
     */
    public void check(String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        String where = method + " " + path + " answered " + status + " " + response.body();
        Optional<Template> template = templates.stream().filter(t -> t.pattern().matcher(path).matches()).findFirst();
        if (template.isEmpty()) {
            expectProblem(where, response, Set.of(404), "a path the document does not name");
            return;
        }
        String pointer = "/paths/" + escape(template.get().path());
        boolean head = method.equals("HEAD");
        JsonNode operation = document.at(pointer).path(head ? "get" : method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            if (method.equals("OPTIONS") && (status == 204 || status == 404)) {
                return;
            }
            expectProblem(where, response, Set.of(404, 405), "a method the document does not name at "
                    + template.get().path());
            return;
        }
        pointer += "/" + (head ? "get" : method.toLowerCase(Locale.ROOT)) + "/responses";
        JsonNode responses = document.at(pointer);
        String code = Integer.toString(status);
        if (!responses.has(code)) {
            code = "default";
        }
        if (!responses.has(code)) {
            throw new AssertionError(where + ": status " + status + " is not documented for " + method + " "
                    + template.get().path() + " (documented: " + names(responses) + ")");
        }
        pointer += "/" + code;
        JsonNode described = document.at(pointer);
        if (described.has("$ref")) {
            pointer = described.get("$ref").asText().substring(1);
            described = document.at(pointer);
        }
        checkBody(where, response, head, described, pointer);
    }

    private void checkBody(String where, HttpResponse<String> response, boolean head, JsonNode described,
                           String pointer) {
        String body = response.body();
        if (head || body == null || body.isEmpty()) {
            return; // no content to check (HEAD, 204, a documented empty answer)
        }
        JsonNode content = described.path("content");
        String mediaType = response.headers().firstValue("Content-Type").map(OpenApiContract::bare).orElse("");
        if (!content.has(mediaType)) {
            throw new AssertionError(where + ": Content-Type " + mediaType + " is not documented (documented: "
                    + names(content) + ")");
        }
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            return;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(where + ": the body is not JSON", e);
        }
        String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
        JsonSchema schema = compiled.computeIfAbsent(schemaPointer,
                // loaded from the whole document by pointer, so that its "#/components/..." references resolve
                p -> schemas.getSchema(SchemaLocation.of(iri + "#" + p), config));
        Set<ValidationMessage> errors = schema.validate(json);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + ": the body does not match " + schemaPointer + ": " + errors);
        }
    }

    private void expectProblem(String where, HttpResponse<String> response, Set<Integer> statuses, String what) {
        if (!statuses.contains(response.statusCode())) {
            throw new AssertionError(where + ": " + what + " must be answered " + statuses);
        }
        checkBody(where, response, false, document.at("/components/responses/NotFound"),
                "/components/responses/NotFound");
    }

    private static Template template(String path) {
        StringBuilder regex = new StringBuilder();
        int literals = 0;
        for (String segment : path.substring(1).split("/", -1)) {
            regex.append('/');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                regex.append("[^/]+");
            } else {
                regex.append(Pattern.quote(segment));
                literals++;
            }
        }
        return new Template(path, Pattern.compile(regex.toString()), literals);
    }

    private static String names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return String.join(", ", names);
    }

    private static String bare(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** A JSON pointer segment (RFC 6901). */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
