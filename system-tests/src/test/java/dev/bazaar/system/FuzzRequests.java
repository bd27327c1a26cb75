package dev.bazaar.system;

import dev.bazaar.kit.DeclaredRoute;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * A bounded, seeded generator of malformed requests against every route of every service, as the services serve
 * them (their route tables, as OpenApiIT checks them), and a path none serves: the same seed and routes give the same
 * requests. Each request keeps most of a real route (so that it reaches the route's own checks) and breaks one
 * or more things: the body (random bytes, wrong types, deep nesting, huge numbers, unicode, long strings), the
 * headers (content types, lengths, junk lines), the method, the path parameters, the query or the bearer token.
 */
final class FuzzRequests {
    /** One request as sent; {@code summary} says what it is without its (possibly binary) bytes. */
    record Request(String service, String summary, byte[] bytes) {
    }

    /** A route: the service, its method, a path template with {@code {id}} for a parameter, a sample JSON body. */
    private record Route(String service, String method, String path, String body) {
    }

    private static final String MUG = "00000000-0000-4000-8000-000000000001";
    private static final String ITEMS = "{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":1}],\"paymentToken\":\"tok_visa\"}";
    /**
     * A valid body for the routes that take one, by {@code METHOD path} ({@code form}: a form body), so that a broken
     * copy of it reaches the route's own checks; a route not named here is fuzzed with bodies of no sample.
     */
    private static final Map<String, String> SAMPLE_BODIES = Map.of(
            "POST /users", "{\"email\":\"fuzz@example.com\",\"password\":\"correct horse battery\"}",
            "POST /oauth2/token", "form",
            "POST /oauth2/revoke", "form",
            "POST /products",
            "{\"sku\":\"FUZZ-1\",\"name\":\"Fuzz\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":1}",
            "POST /orders", ITEMS);
    /** A path no service serves, asked of each: the 404 side of the routing. */
    private static final String UNKNOWN = "/nope/{id}";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "CONNECT", "PROPFIND", "get", "G\u00c9T", "X".repeat(300), "GET\u0000", "");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/x-www-form-urlencoded", "text/plain", "application/problem+json", "application/vnd.x+json",
            "multipart/form-data; boundary=x", "application/json; charset=latin-7", "*/*", ";;;", "application/",
            "json", "application/json\u0000");
    private static final List<String> QUERY_KEYS = List.of("limit", "cursor", "customerId", "offset", "id", "", "%",
            "limit[]", "\u00ff");

    private final Random random;
    private final List<String> validTokens;
    private final List<Route> routes = new ArrayList<>();

    /**
     * @param served each service's routes as it serves them ({@code RunningApp.routes()}), in a stable order: every
     *               one is fuzzed, so a new route is without a change here
     */
    FuzzRequests(long seed, Map<String, List<DeclaredRoute>> served, String customerToken, String adminToken) {
        this.random = new Random(seed);
        this.validTokens = List.of(customerToken, adminToken);
        served.forEach((service, declared) -> {
            for (DeclaredRoute route : declared) {
                if (route.method() != null) { // a route without a readable template: OpenApiIT fails on it
                    String method = route.method().equals("*") ? "GET" : route.method();
                    routes.add(new Route(service, method, route.path(),
                            SAMPLE_BODIES.getOrDefault(method + " " + route.path(), "")));
                }
            }
            routes.add(new Route(service, "GET", UNKNOWN, ""));
        });
    }

    /** How many routes are fuzzed. */
    int routes() {
        return routes.size();
    }

    Request next() {
        Route route = routes.get(random.nextInt(routes.size()));
        String service = route.service();
        String method = random.nextInt(6) == 0 ? pick(METHODS) : route.method();
        String path = route.path().replaceAll("\\{[^}]+}", Matcher.quoteReplacement(pathParameter()));
        String target = path + query();
        List<String> headers = new ArrayList<>();
        String token = token();
        if (token != null) {
            headers.add("Authorization: " + token);
        }
        boolean stream = route.path().endsWith("/stream");
        // a valid subscription would be a live stream that never ends: the stream route gets a refusing Accept
        headers.add(stream ? "Accept: application/json" : pick(List.of("Accept: */*", "Accept: application/json",
                "Accept: text/event-stream", "Accept: \u0000", "Accept: image/png")));
        byte[] body = body(route);
        if (body.length > 0 || random.nextInt(4) == 0) {
            headers.add("Content-Type: " + (route.body().equals("form") && random.nextBoolean()
                    ? "application/x-www-form-urlencoded" : pick(CONTENT_TYPES)));
        }
        badHeaders(headers, body);
        String summary = method.length() > 20 ? method.substring(0, 20) + "…" : method;
        summary += " " + (target.length() > 120 ? target.substring(0, 120) + "…" : target) + " (" + body.length
                + " bytes)";
        return new Request(service, summary, RawHttp.request(method, target, headers, body));
    }

    private String pathParameter() {
        return switch (random.nextInt(9)) {
            case 0, 1 -> UUID.randomUUID().toString();
            case 2 -> MUG;
            case 3 -> Long.toString(random.nextLong());
            case 4 -> "%00";
            case 5 -> "..%2F..%2Fetc%2Fpasswd";
            case 6 -> "x".repeat(1 + random.nextInt(3000));
            case 7 -> percentEncoded(unicode(1 + random.nextInt(20)));
            default -> "-1";
        };
    }

    private String query() {
        if (random.nextInt(3) == 0) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        int params = 1 + random.nextInt(3);
        for (int i = 0; i < params; i++) {
            query.append(i == 0 ? "" : "&").append(pick(QUERY_KEYS)).append('=').append(switch (random.nextInt(10)) {
                case 0 -> Integer.toString(random.nextInt(300) - 100);
                case 1 -> "99999999999999999999999";
                case 2 -> "%00";
                case 3 -> "%ZZ";
                case 4 -> Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(30));
                case 5 -> Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("t:" + pick(List.of("2026-01-01T00:00:00Z", "x", "")) + "/"
                                + pick(List.of(UUID.randomUUID().toString(), "y", ""))).getBytes(StandardCharsets.UTF_8));
                case 6 -> Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + unicode(10))
                        .getBytes(StandardCharsets.UTF_8));
                case 7 -> percentEncoded(unicode(1 + random.nextInt(30)));
                case 8 -> "a".repeat(random.nextInt(5000));
                default -> "fuzz-customer";
            });
        }
        return query.toString();
    }

    /** Mostly broken tokens; a valid one now and then, so that the routes behind the checks are fuzzed too. */
    private String token() {
        String valid = pick(validTokens);
        return switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> "Bearer " + valid;
            case 4 -> null;
            case 5 -> "Bearer " + valid.substring(0, random.nextInt(valid.length()));
            case 6 -> "Bearer " + valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA";
            case 7 -> "Bearer eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("{\"sub\":\"x\",\"groups\":[\"admin\"]}".getBytes(StandardCharsets.UTF_8)) + ".";
            case 8 -> "Bearer " + "A".repeat(random.nextInt(12_000));
            case 9 -> "Basic " + Base64.getEncoder().encodeToString(randomBytes(20));
            case 10 -> "Bearer " + unicode(20);
            default -> pick(List.of("Bearer", "Bearer  ", "bearer " + valid, "Token x", "Bearer a.b.c"));
        };
    }

    private byte[] body(Route route) {
        boolean hasBody = !route.body().isEmpty();
        int kind = random.nextInt(hasBody ? 14 : 20);
        return switch (kind) {
            case 0 -> randomBytes(random.nextInt(2000));
            case 1 -> utf8(wrongTypes(route));
            case 2 -> utf8("[".repeat(1 + random.nextInt(20_000)));
            case 3 -> utf8("{\"a\":".repeat(1 + random.nextInt(5_000)) + "1" + "}".repeat(random.nextInt(5_000)));
            case 4 -> utf8(replaceValues(route, pick(List.of("1e999999", "-1e-999999", "9".repeat(5000),
                    "123456789012345678901234567890", "-0", "NaN", "Infinity", "0x10", "1.0e+309"))));
            case 5 -> utf8(replaceValues(route, "\"" + jsonEscapedUnicode(1 + random.nextInt(200)) + "\""));
            case 6 -> utf8(replaceValues(route, "\"" + "x".repeat(random.nextInt(70_000)) + "\""));
            case 7 -> utf8(replaceValues(route, pick(List.of("\"a\\u0000b\"", "\"\\ud800\"", "\"\\u001f\"",
                    "\"\u202e\"", "\"\\uFFFF\"", "\"\u0000\""))));
            case 8 -> utf8(pick(List.of("", "null", "true", "[]", "{}", "\"\"", "{\"items\":null}", "{}{}",
                    "{\"items\":[null]}", "{\"items\":[{}]}", "{\"email\":[]}")));
            case 9 -> form();
            case 10 -> utf8(route.body().equals("form") ? "" : route.body()); // the sample itself, under other breakage
            case 11 -> utf8(route.body() + pick(List.of(" trailing", "}", "\u0000", ",")));
            default -> hasBody ? utf8(route.body().equals("form") ? "grant_type=password" : route.body()) : new byte[0];
        };
    }

    private String wrongTypes(Route route) {
        String sample = route.body().equals("form") || route.body().isEmpty() ? ITEMS : route.body();
        return sample.replace("\"fuzz@example.com\"", pick(List.of("1", "true", "{}", "[\"a\"]")))
                .replace("1}", pick(List.of("2.9}", "\"3\"}", "true}", "null}", "[]}", "-1}", "2147483648}")))
                .replace("\"EUR\"", pick(List.of("1", "\"eur\"", "\"EURO\"", "null")))
                .replace("\"" + MUG + "\"", pick(List.of("1", "\"not-a-uuid\"", "null", "{}")));
    }

    /** The sample body with every value (numbers and strings) replaced by {@code value}. */
    private String replaceValues(Route route, String value) {
        String sample = route.body().equals("form") || route.body().isEmpty() ? ITEMS : route.body();
        return sample.replaceAll(":(\"[^\"]*\"|-?[0-9.]+)", ":" + Matcher.quoteReplacement(value));
    }

    private byte[] form() {
        String value = switch (random.nextInt(5)) {
            case 0 -> "%00";
            case 1 -> "%";
            case 2 -> percentEncoded(unicode(10));
            case 3 -> "x".repeat(random.nextInt(70_000));
            default -> "fuzz@example.com";
        };
        return utf8(pick(List.of("grant_type=password&username=" + value + "&password=" + value,
                "grant_type=client_credentials&client_id=" + value + "&client_secret=" + value,
                "grant_type=refresh_token&refresh_token=" + value, "token=" + value, "grant_type=" + value,
                "grant_type=password&grant_type=password", "=&=&&", value)));
    }

    private void badHeaders(List<String> headers, byte[] body) {
        switch (random.nextInt(12)) {
            case 0 -> headers.add("Content-Length: " + pick(List.of("-1", "abc", "99999999999999999999",
                    Integer.toString(body.length + 10), "0", " 1")));
            case 1 -> headers.add("X-Fuzz: " + "v".repeat(random.nextInt(20_000)));
            case 2 -> headers.add(pick(List.of("Bad Header: x", ": empty", "NoColon", "X-\u00e9: y", "X-Ctl: a\u0001b")));
            case 3 -> headers.add("Transfer-Encoding: " + pick(List.of("chunked", "gzip", "identity", "chunked, chunked")));
            case 4 -> headers.add("Idempotency-Key: " + pick(List.of(UUID.randomUUID().toString(), "", "x".repeat(300),
                    unicode(5))));
            case 5 -> headers.add("Expect: 100-continue");
            case 6 -> headers.add("X-Forwarded-For: " + pick(List.of("1.2.3.4", "garbage", "", "::1, 10.0.0.1")));
            case 7 -> headers.add("Authorization: Bearer second-one");
            default -> {
            }
        }
    }

    private String unicode(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int codePoint = switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x20);                 // controls, NUL included
                case 1 -> 0x1F600 + random.nextInt(80);         // emoji (surrogate pairs)
                case 2 -> 0x0590 + random.nextInt(0x100);       // right-to-left scripts
                case 3 -> 0x4E00 + random.nextInt(0x5000);      // CJK
                default -> 0x20 + random.nextInt(0x5F);         // printable ASCII
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private String jsonEscapedUnicode(int length) {
        StringBuilder text = new StringBuilder();
        for (char c : unicode(length).toCharArray()) {
            text.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.toString();
    }

    private static String percentEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
