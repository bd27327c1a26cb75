package dev.bazaar.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.ServiceUnderTest;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Identity against a real PostgreSQL and real HTTP; tokens are checked with Helidon's own JWT classes. */
class IdentityIT {
    static final String ISSUER = "http://identity.test";
    static final String ADMIN = "admin@bazaar.test";
    static final String ADMIN_PASSWORD = "bootstrap-password-for-tests";
    static final String CLIENT = "test-cli";
    static final String CLIENT_SECRET = "test-cli-secret";
    static final String PASSWORD = "correct horse battery staple";

    static final AtomicInteger ADDRESSES = new AtomicInteger();
    static ServiceUnderTest sut;
    static TestNatsServer nats;
    static TestDatabase db;
    static RunningApp identity;

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.withoutTokens(Main.class, "identity");
        nats = sut.nats;
        db = sut.db;
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("identity.issuer", ISSUER);
        extra.put("identity.password.memory-kib", "64");
        extra.put("identity.password.iterations", "1");
        extra.put("identity.login-limit.max-failures", "3");
        extra.put("identity.registration-limit.max-per-address", "5");
        // Every test names its own client address, so that one test's failures never limit another's.
        extra.put("identity.trust-forwarded-for", "true");
        extra.put("identity.bootstrap-admin.email", ADMIN);
        extra.put("identity.bootstrap-admin.password", ADMIN_PASSWORD);
        extra.put("identity.clients.0.id", CLIENT);
        extra.put("identity.clients.0.secret", CLIENT_SECRET);
        extra.put("identity.clients.0.roles", "admin");
        extra.put("identity.clients.0.scopes", "catalog admin");
        identity = sut.start(config -> Main.start(config, Telemetry.forTests("identity", InMemorySpanExporter.create())),
                extra);
    }

    @AfterAll
    static void stop() {
        sut.close();
    }

    @Test
    void answersUnroutedRequestsWith404Or405() {
        TestHttp.assertRoutingFallbacks(identity.baseUrl(), "/oauth2/token", "GET", "POST, OPTIONS");
    }

    @Test
    void registersACustomerWithANormalizedEmail() {
        String email = "Ann." + UUID.randomUUID() + "@Example.com";
        HttpResponse<String> created = register("  " + email + " ", PASSWORD);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode user = TestHttp.json(created);
        assertThat(user.get("email").asText()).isEqualTo(email.toLowerCase());
        assertThat(user.get("roles")).hasSize(1);
        assertThat(user.get("roles").get(0).asText()).isEqualTo("customer");
        assertThat(user.has("createdAt")).isTrue();
        assertThat(user.has("passwordHash")).isFalse();
        assertThat(created.headers().firstValue("Location")).hasValue("/users/" + user.get("id").asText());
    }

    @Test
    void aUserReadsThemselvesBackAndNobodyElse() {
        String email = newEmail();
        String location = register(email, PASSWORD).headers().firstValue("Location").orElseThrow();
        String token = TestHttp.json(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD),
                null, "10.4.0.1")).get("access_token").asText();

        HttpResponse<String> self = get(location, token);
        assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
        assertThat(TestHttp.json(self).get("email").asText()).isEqualTo(email);
        assertThat(get(location, adminToken()).statusCode()).isEqualTo(200);
        TestHttp.assertProblem(get(location, customerToken()), 404, "no user");
        HttpResponse<String> anonymous = get(location, null);
        TestHttp.assertProblem(anonymous, 401, "bearer access token is required");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"bazaar\"");
    }

    @Test
    void refusesADuplicateEmailAWeakPasswordAndABadEmail() {
        String email = newEmail();
        register(email, PASSWORD);

        TestHttp.assertProblem(register(email.toUpperCase(), PASSWORD), 409, "already exists");
        TestHttp.assertProblem(register(newEmail(), "short"), 400, "at least 12");
        TestHttp.assertProblem(register(newEmail(), "passwordpassword"), 400, "too common");
        TestHttp.assertProblem(register("nobody", PASSWORD), 400, "email");
    }

    @Test
    void controlCharactersAndWrongTypesAre400sThatEchoNothing() {
        HttpResponse<String> nul = register("ada\\u0000@example.com", PASSWORD); // was a 500 from PostgreSQL
        TestHttp.assertProblem(nul, 400, "control characters are not allowed in 'email'");
        TestHttp.assertProblem(register("ada@example.com", "correct\\u0007horse-battery"), 400, "'password'");
        HttpResponse<String> number = TestHttp.post(identity.baseUrl() + "/users",
                "{\"email\":12345,\"password\":\"" + PASSWORD + "\"}");
        TestHttp.assertProblem(number, 400, "'email'");
        assertThat(number.body()).doesNotContain("12345", "java", "String", "Registration");
        assertOAuthError(token(Map.of("grant_type", "password", "username", "ada\u0000@example.com",
                "password", PASSWORD), null, "10.0.0.9"), 400, "invalid_request");
        assertOAuthError(token(Map.of("grant_type", "client_credentials"),
                "Basic " + Base64.getEncoder().encodeToString("cli\u0000:secret".getBytes(StandardCharsets.UTF_8)),
                "10.0.0.9"), 400, "invalid_request");
    }

    @Test
    void thePasswordGrantIssuesATokenThatVerifiesAgainstTheJwks() {
        String email = newEmail();
        String id = TestHttp.json(register(email, PASSWORD)).get("id").asText();

        HttpResponse<String> response = token(Map.of("grant_type", "password", "username", email,
                "password", PASSWORD), null, "10.0.0.1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(300);
        assertThat(body.get("refresh_token").asText()).hasSize(43);
        assertThat(body.get("scope").asText()).isEqualTo("identity orders catalog notifications");
        Jwt jwt = verified(body.get("access_token").asText());
        assertThat(jwt.issuer()).hasValue(ISSUER);
        assertThat(jwt.audience()).hasValue(List.of("identity", "orders", "catalog", "notifications"));
        assertThat(jwt.subject()).hasValue(id);
        assertThat(jwt.userGroups()).hasValue(List.of("customer"));
        assertThat(jwt.keyId()).hasValue(currentKid());
        assertThat(jwt.expirationTime().orElseThrow())
                .isBetween(Instant.now().plusSeconds(240), Instant.now().plusSeconds(301));
        assertThat(jwt.payloadClaim("jti")).isPresent();
    }

    @Test
    void theAudienceIsTheScopesAndOnlyAdminsMayAskForPayments() {
        HttpResponse<String> adminDefault = token(Map.of("grant_type", "password", "username", ADMIN,
                "password", ADMIN_PASSWORD), null, "10.0.1.1");
        assertThat(verified(TestHttp.json(adminDefault).get("access_token").asText()).audience())
                .as("never granted unasked").hasValue(List.of("identity", "orders", "catalog", "notifications"));

        HttpResponse<String> forPayments = token(Map.of("grant_type", "password", "username", ADMIN,
                "password", ADMIN_PASSWORD, "scope", "payments"), null, "10.0.1.1");
        assertThat(forPayments.statusCode()).as(forPayments.body()).isEqualTo(200);
        assertThat(verified(TestHttp.json(forPayments).get("access_token").asText()).audience())
                .hasValue(List.of("payments"));

        String email = newEmail();
        register(email, PASSWORD);
        assertOAuthError(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD,
                "scope", "payments"), null, "10.0.1.2"), 400, "invalid_scope");
        // Identity itself accepts only tokens for it: one without the identity scope cannot read the user.
        String location = "/users/" + verified(TestHttp.json(token(Map.of("grant_type", "password", "username", email,
                "password", PASSWORD), null, "10.0.1.2")).get("access_token").asText()).subject().orElseThrow();
        String ordersOnly = TestHttp.json(token(Map.of("grant_type", "password", "username", email,
                "password", PASSWORD, "scope", "orders"), null, "10.0.1.2")).get("access_token").asText();
        TestHttp.assertProblem(get(location, ordersOnly), 401, "audience is not accepted");
    }

    @Test
    void aWrongPasswordOrUnknownUserIsAnInvalidGrant() {
        String email = newEmail();
        register(email, PASSWORD);

        assertOAuthError(token(Map.of("grant_type", "password", "username", email, "password", "wrong password!"),
                null, "10.0.0.2"), 400, "invalid_grant");
        assertOAuthError(token(Map.of("grant_type", "password", "username", newEmail(), "password", PASSWORD),
                null, "10.0.0.2"), 400, "invalid_grant");
        assertOAuthError(token(Map.of("grant_type", "magic"), null, "10.0.0.2"), 400, "unsupported_grant_type");
        assertOAuthError(token(Map.of("grant_type", "password"), null, "10.0.0.2"), 400, "invalid_request");
    }

    @Test
    void clientCredentialsWorkWithBasicOrFormAuthenticationAndGiveNoRefreshToken() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> viaBasic = token(Map.of("grant_type", "client_credentials", "scope", "admin"),
                basic, "10.0.0.3");
        HttpResponse<String> viaForm = token(Map.of("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", CLIENT_SECRET), null, "10.0.0.3");

        for (HttpResponse<String> response : List.of(viaBasic, viaForm)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = TestHttp.json(response);
            assertThat(body.has("refresh_token")).isFalse();
            Jwt jwt = verified(body.get("access_token").asText());
            assertThat(jwt.subject()).hasValue(CLIENT);
            assertThat(jwt.userGroups()).hasValue(List.of("admin"));
        }
        assertThat(TestHttp.json(viaBasic).get("scope").asText()).isEqualTo("admin");
        assertThat(TestHttp.json(viaForm).get("scope").asText()).isEqualTo("catalog admin");
    }

    @Test
    void aBadClientSecretIsAnInvalidClientWithABasicChallenge() {
        HttpResponse<String> response = token(Map.of("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", "wrong"), null, "10.0.0.4");

        assertOAuthError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        assertOAuthError(token(Map.of("grant_type", "client_credentials", "client_secret", CLIENT_SECRET), basic,
                "10.0.0.4"), 400, "invalid_request");
        assertOAuthError(token(Map.of("grant_type", "client_credentials", "scope", "orders"), basic, "10.0.0.4"),
                400, "invalid_scope");
    }

    @Test
    void aRefreshMayNarrowTheScopeButNotWidenIt() {
        String email = newEmail();
        register(email, PASSWORD);
        String refresh = TestHttp.json(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD,
                "scope", "orders catalog"), null, "10.0.0.7")).get("refresh_token").asText();

        HttpResponse<String> narrowed = token(Map.of("grant_type", "refresh_token", "refresh_token", refresh,
                "scope", "orders"), null, "10.0.0.7");
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
        assertThat(TestHttp.json(narrowed).get("scope").asText()).isEqualTo("orders");
        assertThat(verified(TestHttp.json(narrowed).get("access_token").asText()).scopes()).hasValue(List.of("orders"));

        assertOAuthError(token(Map.of("grant_type", "refresh_token",
                "refresh_token", TestHttp.json(narrowed).get("refresh_token").asText(), "scope", "notifications"),
                null, "10.0.0.7"), 400, "invalid_scope");
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheFamily() {
        String email = newEmail();
        register(email, PASSWORD);
        String first = TestHttp.json(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD),
                null, "10.0.0.5")).get("refresh_token").asText();

        HttpResponse<String> rotated = token(Map.of("grant_type", "refresh_token", "refresh_token", first), null, "10.0.0.5");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String second = TestHttp.json(rotated).get("refresh_token").asText();
        assertThat(second).isNotEqualTo(first);
        verified(TestHttp.json(rotated).get("access_token").asText());

        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", first), null, "10.0.0.5"),
                400, "invalid_grant");
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", second), null, "10.0.0.5"),
                400, "invalid_grant");
    }

    @Test
    void revokingARefreshTokenEndsItsFamilyAndUnknownTokensAnswer200() {
        String email = newEmail();
        register(email, PASSWORD);
        String refresh = TestHttp.json(token(Map.of("grant_type", "password", "username", email,
                "password", PASSWORD), null, "10.0.0.6")).get("refresh_token").asText();

        assertThat(form("/oauth2/revoke", Map.of("token", refresh), null, "10.0.0.6").statusCode()).isEqualTo(200);
        assertThat(form("/oauth2/revoke", Map.of("token", "unknown"), null, "10.0.0.6").statusCode()).isEqualTo(200);
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh), null, "10.0.0.6"),
                400, "invalid_grant");
    }

    @Test
    void tooManyFailedLoginsForOneAccountAre429WithRetryAfter() {
        String email = newEmail();
        register(email, PASSWORD);
        for (int i = 0; i < 3; i++) {
            // A different address each time: the account's own count trips the limit.
            assertOAuthError(token(Map.of("grant_type", "password", "username", email, "password", "wrong password " + i),
                    null, "10.1.0." + i), 400, "invalid_grant");
        }

        HttpResponse<String> limited = token(Map.of("grant_type", "password", "username", email, "password", PASSWORD),
                null, "10.1.0.9");

        assertOAuthError(limited, 429, "invalid_grant");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(890L, 900L);
        assertThat(TestHttp.json(limited).get("error_description").asText())
                .isEqualTo("too many failed logins, retry after " + retryAfter + " s");
    }

    @Test
    void tooManyFailedLoginsFromOneAddressAre429() {
        for (int i = 0; i < 3; i++) {
            token(Map.of("grant_type", "password", "username", newEmail(), "password", "wrong password"), null, "10.2.0.1");
        }
        String email = newEmail();
        register(email, PASSWORD);

        assertOAuthError(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD), null,
                "10.2.0.1"), 429, "invalid_grant");
        assertThat(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD), null,
                "10.2.0.2").statusCode()).isEqualTo(200);
    }

    @Test
    void sixtyParallelGuessesGetAtMostTheLimitOfPasswordChecks() throws Exception {
        String email = newEmail();
        register(email, PASSWORD);

        // Each from its own address: only the account's count can stop them.
        List<HttpResponse<String>> answers = parallel(60, i -> token(Map.of("grant_type", "password",
                "username", email, "password", "wrong password " + i), null, "10.5." + i / 250 + "." + i % 250));

        // The invariant: never more password checks than the limit. On a loaded machine a few may find the hashing
        // bulkhead or the pool full first: those are 503 + Retry-After, refused before any hash too.
        Map<Integer, Long> statuses = statuses(answers);
        assertThat(statuses.keySet()).as(statuses.toString()).containsAnyOf(429).isSubsetOf(400, 429, 503);
        assertThat(statuses.getOrDefault(400, 0L)).as("checked (and wrong): at most the limit, " + statuses)
                .isBetween(1L, 3L);
        assertThat(statuses.get(429)).as(statuses.toString()).isGreaterThanOrEqualTo(50L);
        assertOverloadRefusalsSayWhenToRetry(answers);
        assertOAuthError(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD), null,
                "10.5.9.9"), 429, "invalid_grant");
    }

    @Test
    void twentyParallelUsesOfOneRefreshTokenRotateItAtMostOnceAndRevokeTheFamily() throws Exception {
        String email = newEmail();
        register(email, PASSWORD);
        String refresh = TestHttp.json(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD),
                null, "10.6.0.1")).get("refresh_token").asText();

        List<HttpResponse<String>> answers = parallel(20, i -> token(Map.of("grant_type", "refresh_token",
                "refresh_token", refresh), null, "10.6.0.1"));

        Map<Integer, Long> statuses = statuses(answers);
        assertThat(statuses.getOrDefault(200, 0L)).as(statuses.toString()).isLessThanOrEqualTo(1L);
        // Every use waits for the family's lock holding a connection: on a loaded machine some find the pool full
        // (503 + Retry-After, nothing changed); every other one is a detected reuse.
        assertThat(statuses.keySet()).as(statuses.toString()).isSubsetOf(200, 400, 503);
        assertThat(statuses.getOrDefault(400, 0L)).as(statuses.toString()).isGreaterThanOrEqualTo(1L);
        assertOverloadRefusalsSayWhenToRetry(answers);
        answers.stream().filter(a -> a.statusCode() == 400).forEach(a -> assertOAuthError(a, 400, "invalid_grant"));
        // Any reuse revoked the family: the token the winner (if any) was given is dead too.
        for (HttpResponse<String> won : answers.stream().filter(a -> a.statusCode() == 200).toList()) {
            assertOAuthError(token(Map.of("grant_type", "refresh_token",
                    "refresh_token", TestHttp.json(won).get("refresh_token").asText()), null, "10.6.0.1"),
                    400, "invalid_grant");
        }
    }

    @Test
    void registrationsAreLimitedPerAddressWith429AndRetryAfter() {
        String address = "10.7.0.1";
        for (int i = 0; i < 5; i++) {
            assertThat(register(identity, newEmail(), PASSWORD, address).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> limited = register(identity, newEmail(), PASSWORD, address);

        TestHttp.assertProblem(limited, 429, "too many registrations from this address");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(3590L, 3600L);
        assertThat(register(identity, newEmail(), PASSWORD, "10.7.0.2").statusCode()).isEqualTo(201);
    }

    @Test
    void passwordHashingBeyondTheBulkheadIs503WithRetryAfter() throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("identity.issuer", ISSUER);
        // One hash at a time and none waiting, each slow enough (32 MiB, 3 passes) for a burst to overlap.
        extra.put("identity.password.memory-kib", "32768");
        extra.put("identity.password.iterations", "3");
        extra.put("identity.password.max-concurrent", "1");
        extra.put("identity.password.queue", "0");
        extra.put("identity.trust-forwarded-for", "true");
        try (RunningApp narrow = Main.start(sut.config(extra),
                Telemetry.forTests("identity", InMemorySpanExporter.create()))) {
            List<HttpResponse<String>> registrations = parallel(8,
                    i -> register(narrow, newEmail(), PASSWORD, "10.8.0." + i));
            List<HttpResponse<String>> logins = parallel(8, i -> TestHttp.send(HttpRequest.newBuilder(
                            URI.create(narrow.baseUrl() + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", "10.8.1." + i)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + newEmail()
                            + "&password=wrong"))));

            assertThat(statuses(registrations)).containsKeys(201, 503).hasSize(2);
            HttpResponse<String> busy = registrations.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
            TestHttp.assertProblem(busy, 503, "too many password checks in progress");
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(statuses(logins)).containsKeys(400, 503).hasSize(2);
            HttpResponse<String> busyLogin = logins.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
            assertOAuthError(busyLogin, 503, "temporarily_unavailable");
            assertThat(busyLogin.headers().firstValue("Retry-After")).hasValue("1");
        }
    }

    @Test
    void privateKeysAreSealedInTheDatabase() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT private_key FROM signing_keys");
             ResultSet rs = s.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getBytes(1)[0]).as("sealed (version 1), not PKCS#8 (0x30)").isEqualTo((byte) 1);
            }
            assertThat(rows).isPositive();
        }
    }

    @Test
    void rotationKeepsOldTokensValidAndOnlyAdminsMayRotate() {
        String adminToken = adminToken();
        String customerToken = customerToken();
        String before = currentKid();

        HttpResponse<String> forbidden = rotate(customerToken);
        TestHttp.assertProblem(forbidden, 403, "admin");
        TestHttp.assertProblem(rotate("not-a-token"), 401, "malformed token");
        TestHttp.assertProblem(rotate(null), 401, "bearer access token is required");

        HttpResponse<String> rotated = rotate(adminToken);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String after = TestHttp.json(rotated).get("kid").asText();
        assertThat(after).isNotEqualTo(before);

        assertThat(kids()).contains(before, after);
        assertThat(verified(customerToken).keyId()).as("a token signed before rotation still verifies").hasValue(before);
        assertThat(verified(customerToken()).keyId()).as("new tokens carry the new kid").hasValue(after);
    }

    @Test
    void twoUsersWithOnePasswordGetDifferentHashes() throws Exception {
        String first = newEmail();
        String second = newEmail();
        register(first, PASSWORD);
        register(second, PASSWORD);

        List<String> hashes = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT password_hash FROM users WHERE email IN (?, ?)")) {
            s.setString(1, first);
            s.setString(2, second);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    hashes.add(rs.getString(1));
                }
            }
        }
        assertThat(hashes).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(h -> assertThat(h).startsWith("$argon2id$v=19$m=64,t=1,p=1$"));
    }

    @Test
    void publishesADiscoveryDocumentAndACacheableJwks() {
        HttpResponse<String> jwks = TestHttp.get(identity.baseUrl() + "/.well-known/jwks.json");
        assertThat(jwks.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        JsonNode key = TestHttp.json(jwks).get("keys").get(0);
        assertThat(key.get("use").asText()).isEqualTo("sig");
        assertThat(key.get("alg").asText()).isEqualTo("RS256");
        assertThat(key.has("d")).as("no private part").isFalse();

        JsonNode discovery = TestHttp.json(TestHttp.get(identity.baseUrl() + "/.well-known/openid-configuration"));
        assertThat(discovery.get("issuer").asText()).isEqualTo(ISSUER);
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(ISSUER + "/.well-known/jwks.json");
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(TestHttp.json(TestHttp.get(identity.baseUrl() + "/.well-known/oauth-authorization-server")))
                .isEqualTo(discovery);
    }

    @Test
    void instancesSharingTheDatabaseShareKeys() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("identity.issuer", ISSUER);
        extra.put("identity.password.memory-kib", "64");
        extra.put("identity.password.iterations", "1");
        extra.put("identity.login-limit.max-failures", "3");
        try (RunningApp second = Main.start(sut.config(extra),
                Telemetry.forTests("identity", InMemorySpanExporter.create()))) {
            String token = customerToken();
            String secondJwks = TestHttp.get(second.baseUrl() + "/.well-known/jwks.json").body();
            assertThat(secondJwks).isEqualTo(TestHttp.get(identity.baseUrl() + "/.well-known/jwks.json").body());
            SignedJwt signed = SignedJwt.parseToken(token);
            assertThat(signed.verifySignature(JwkKeys.create(Json.createReader(new StringReader(secondJwks)).readObject()))
                    .isValid()).isTrue();

            HttpRequest.Builder rotate = HttpRequest.newBuilder(URI.create(second.baseUrl() + "/admin/keys/rotate"))
                    .header("Authorization", "Bearer " + adminToken())
                    .POST(HttpRequest.BodyPublishers.noBody());
            String kid = TestHttp.json(TestHttp.send(rotate)).get("kid").asText();
            assertThat(verified(customerToken()).keyId()).as("the first instance signs with the key the second made")
                    .hasValue(kid);

            // The failed-login count is in the database: failures on one instance count on the other.
            String email = newEmail();
            register(email, PASSWORD);
            for (int i = 0; i < 3; i++) {
                token(Map.of("grant_type", "password", "username", email, "password", "wrong " + i), null, "10.4.1." + i);
            }
            HttpResponse<String> onSecond = TestHttp.send(HttpRequest.newBuilder(
                            URI.create(second.baseUrl() + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username="
                            + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))));
            assertOAuthError(onSecond, 429, "invalid_grant");
        }
    }

    // --- helpers

    /** {@code count} calls at once (released together), their answers in order. */
    static <T> List<T> parallel(int count, java.util.function.IntFunction<T> call) throws Exception {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    go.await();
                    return call.apply(n);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    static void assertOverloadRefusalsSayWhenToRetry(List<HttpResponse<String>> answers) {
        answers.stream().filter(a -> a.statusCode() == 503)
                .forEach(a -> assertThat(a.headers().firstValue("Retry-After")).as(a.body()).isPresent());
    }

    static Map<Integer, Long> statuses(List<HttpResponse<String>> answers) {
        return answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, java.util.TreeMap::new,
                Collectors.counting()));
    }

    static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** Registers from an address of its own, so that the registration limit never stops another test. */
    static HttpResponse<String> register(String email, String password) {
        return register(identity, email, password, "10.200." + ADDRESSES.incrementAndGet() / 250 + "."
                + ADDRESSES.get() % 250);
    }

    static HttpResponse<String> register(RunningApp app, String email, String password, String address) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/users"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")));
    }

    static HttpResponse<String> token(Map<String, String> params, String authorization, String clientAddress) {
        return form("/oauth2/token", params, authorization, clientAddress);
    }

    static HttpResponse<String> form(String path, Map<String, String> params, String authorization, String address) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(identity.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return TestHttp.send(request);
    }

    static HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(identity.baseUrl() + path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return TestHttp.send(request);
    }

    static HttpResponse<String> rotate(String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(identity.baseUrl() + "/admin/keys/rotate"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return TestHttp.send(request);
    }

    static String adminToken() {
        HttpResponse<String> response = token(Map.of("grant_type", "password", "username", ADMIN,
                "password", ADMIN_PASSWORD), null, "10.3.0.1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = TestHttp.json(response).get("access_token").asText();
        assertThat(verified(token).userGroups()).hasValue(List.of("customer", "admin"));
        return token;
    }

    static String customerToken() {
        String email = newEmail();
        register(email, PASSWORD);
        return TestHttp.json(token(Map.of("grant_type", "password", "username", email, "password", PASSWORD),
                null, "10.3.0.2")).get("access_token").asText();
    }

    static void assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(TestHttp.json(response).get("error").asText()).isEqualTo(error);
        assertThat(TestHttp.json(response).get("error_description").asText()).isNotBlank();
    }

    /** The token, after checking its signature against the JWKS as served now. */
    static Jwt verified(String token) {
        String jwks = TestHttp.get(identity.baseUrl() + "/.well-known/jwks.json").body();
        JwkKeys keys = JwkKeys.create(Json.createReader(new StringReader(jwks)).readObject());
        SignedJwt signed = SignedJwt.parseToken(token);
        assertThat(signed.verifySignature(keys).isValid()).as("signature verifies with the JWKS").isTrue();
        return signed.getJwt();
    }

    static List<String> kids() {
        List<String> kids = new ArrayList<>();
        TestHttp.json(TestHttp.get(identity.baseUrl() + "/.well-known/jwks.json")).get("keys")
                .forEach(k -> kids.add(k.get("kid").asText()));
        return kids;
    }

    static String currentKid() {
        // The active key is listed first (newest first).
        return kids().get(0);
    }
}
