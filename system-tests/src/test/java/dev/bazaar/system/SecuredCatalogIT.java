package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.messaging.NatsTls;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.ServiceFixture;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestHttp;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Catalog as it runs with {@code make run TLS=1}: HTTPS on its port, NATS over TLS as its own NATS user with the
 * project's permissions, certificates from {@code scripts/certs.sh}; and both payload limits (HTTP body, NATS request).
 */
class SecuredCatalogIT {
    static final String MUG = "00000000-0000-4000-8000-000000000001";
    static Path certs;
    static TestNatsServer nats;
    static TestDatabase db;
    static RunningApp catalog;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        certs = Files.createTempDirectory("bazaar-certs-");
        Process script = new ProcessBuilder("bash", ProjectNatsAuth.authFile().resolve("../../../scripts/certs.sh")
                .normalize().toString(), certs.toString()).inheritIO().start();
        assertThat(script.waitFor()).as("scripts/certs.sh").isZero();

        List<String> natsConfig = new ArrayList<>(ProjectNatsAuth.configLines());
        natsConfig.add("tls { cert_file: \"" + certs.resolve("server.pem") + "\", key_file: \""
                + certs.resolve("server-key.pem") + "\", ca_file: \"" + certs.resolve("ca.pem") + "\", timeout: 2 }");
        nats = TestNatsServer.start(natsConfig);
        db = TestDatabase.create("tls_catalog");

        Map<String, String> values = new HashMap<>(ProjectNatsAuth.serviceConfig("catalog"));
        values.put("nats.tls.ca", certs.resolve("ca.pem").toString());
        values.put("server.tls.private-key.pem.key.resource.path", certs.resolve("server-key.pem").toString());
        values.put("server.tls.private-key.pem.cert-chain.resource.path", certs.resolve("server.pem").toString());
        catalog = dev.bazaar.catalog.Main.start(ServiceFixture.config(dev.bazaar.catalog.Main.class, nats, db, values),
                Telemetry.forTests("catalog", InMemorySpanExporter.create()));
        https = HttpClient.newBuilder().sslContext(NatsTls.trusting(certs.resolve("ca.pem")).sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (catalog != null) {
            catalog.close();
        }
        if (db != null) {
            db.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void servesHttpsAndIsReadyOverNatsTls() throws Exception {
        HttpResponse<String> ready = get("/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        HttpResponse<String> product = get("/products/" + MUG);
        assertThat(product.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(product).get("id").asText()).isEqualTo(MUG);
    }

    @Test
    void plainHttpIsNotServed() {
        assertThatThrownBy(() -> TestHttp.get("http://127.0.0.1:" + catalog.httpPort() + "/products"))
                .isInstanceOf(RuntimeException.class);
    }

    /**
     * With {@code Expect: 100-continue}, as a client sending a large body should: the 413 comes before the body is
     * sent. Without it the server answers the 413 and closes the connection with the body unread, and the client's
     * TCP stack may drop the answer on the reset that the unread bytes cause (seen once in CI over TLS).
     */
    @Test
    void anOversizedHttpBodyIs413() throws Exception {
        String body = "{\"sku\":\"BIG\",\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(url("/products"))
                .header("Content-Type", "application/json").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void ordersAsksCatalogOverNatsTls() throws Exception {
        try (Connection orders = connect("orders")) {
            Message reply = orders.request("catalog.get-products", ("{\"ids\":[\"" + MUG + "\"]}")
                    .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertThat(reply.getHeaders() == null ? null : reply.getHeaders().getFirst("Nats-Service-Error-Code")).isNull();
            JsonNode products = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.getData());
            assertThat(products.get("products").get(0).get("id").asText()).isEqualTo(MUG);
        }
    }

    @Test
    void anOversizedNatsRequestGetsA413ErrorReply() throws Exception {
        try (Connection orders = connect("orders")) {
            byte[] big = ("{\"ids\":[\"" + MUG + "\"],\"padding\":\"" + "x".repeat(70 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            Message reply = orders.request("catalog.get-products", big, Duration.ofSeconds(5));
            assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("413");
        }
    }

    @Test
    void aClientWithoutTlsIsRefused() {
        Options plain = new Options.Builder().server(nats.url()).userInfo("orders", ProjectNatsAuth.password("orders"))
                .maxReconnects(0).build();
        assertThatThrownBy(() -> Nats.connect(plain).close()).isInstanceOf(Exception.class);
    }

    private static Connection connect(String user) throws Exception {
        return Nats.connect(new Options.Builder().server(nats.url())
                .userInfo(user, ProjectNatsAuth.password(user))
                .inboxPrefix("_INBOX_" + user)
                .sslContext(NatsTls.trusting(certs.resolve("ca.pem")).sslContext())
                .build());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return https.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String path) {
        return URI.create("https://127.0.0.1:" + catalog.httpPort() + path);
    }
}
