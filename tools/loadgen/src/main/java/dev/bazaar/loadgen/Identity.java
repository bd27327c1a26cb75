package dev.bazaar.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registered users and their bearer tokens, when the identity service answers: {@code POST /users} with
 * {@code {"email","password"}}, then
 * {@code POST /oauth2/token} with {@code grant_type=password}. Without identity (e.g. a branch without it) there are
 * no users: logins are skipped and orders go without a token.
 */
final class Identity {
    record User(String username, String password) {
    }

    private final HttpClient http;
    private final URI base;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final List<User> users = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private String unavailable;

    Identity(HttpClient http, URI base, ObjectMapper mapper, Duration timeout) {
        this.http = http;
        this.base = base;
        this.mapper = mapper;
        this.timeout = timeout;
    }

    /** Registers {@code count} users and logs each in once; stops at the first failure and says why. */
    void prepare(int count) {
        for (int i = 0; i < count; i++) {
            // The e-mail is the username of the password grant.
            String email = "load-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            User user = new User(email, "load test " + UUID.randomUUID());
            try {
                String body = mapper.writeValueAsString(java.util.Map.of("email", user.username(),
                        "password", user.password()));
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/users"))
                        .timeout(timeout).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() / 100 != 2) {
                    unavailable = "POST /users answered " + created.statusCode();
                    return;
                }
                users.add(user);
                Optional<String> token = login(user);
                if (token.isEmpty()) {
                    unavailable = "POST /oauth2/token refused a freshly registered user";
                    return;
                }
                tokens.add(token.get());
            } catch (IOException e) {
                unavailable = "identity at " + base + " is not reachable (" + e.getClass().getSimpleName() + ")";
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted";
                return;
            }
        }
    }

    /** Null when users and tokens are ready, else why logins and tokens are skipped. */
    String unavailable() {
        return users.isEmpty() && unavailable == null ? "no users registered" : unavailable;
    }

    boolean ready() {
        return !tokens.isEmpty();
    }

    List<String> tokens() {
        return List.copyOf(tokens);
    }

    User anyUser() {
        return users.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(users.size()));
    }

    Optional<String> anyToken() {
        return tokens.isEmpty() ? Optional.empty()
                : Optional.of(tokens.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(tokens.size())));
    }

    HttpRequest loginRequest(User user) {
        String form = "grant_type=password&username=" + encode(user.username()) + "&password=" + encode(user.password());
        return HttpRequest.newBuilder(base.resolve("/oauth2/token")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private Optional<String> login(User user) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(loginRequest(user), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        JsonNode token = mapper.readTree(response.body()).get("access_token");
        return token == null ? Optional.empty() : Optional.of(token.asText());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
