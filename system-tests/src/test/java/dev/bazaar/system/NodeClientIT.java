package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.TestHttp;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/node-client, the Node.js program on the official NATS client, against catalog, orders and payments on a
 * nats-server with the project's real users: it connects as its own nkey user (config/nats/auth.conf), discovers the
 * services, calls catalog over HTTP and over NATS with a customer's token, and reads an order's events from JetStream.
 */
class NodeClientIT {
    static final String MUG = "00000000-0000-4000-8000-000000000001";
    static final Path CLIENT = ProjectNatsAuth.authFile().getParent().getParent().getParent().resolve("examples/node-client");
    static SystemUnderTest system;
    static RunningApp catalog;
    static RunningApp orders;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isDirectory(CLIENT.resolve("node_modules/nats"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), Duration.ofMinutes(3));
        }
        system = SystemUnderTest.start("node");
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        catalog = system.start("catalog", dev.bazaar.catalog.Main::start, spans);
        orders = system.start("orders", dev.bazaar.orders.Main::start, spans);
        system.start("payments", dev.bazaar.payments.Main::start, spans);
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void discoversCallsWithATokenAndFollowsAnOrdersEvents() throws Exception {
        String customer = system.tokens.customer("node-customer");
        HttpResponse<String> placed = TestHttp.post(orders.baseUrl() + "/orders", "{\"items\":[{\"productId\":\"" + MUG
                + "\",\"quantity\":1}],\"paymentToken\":\"tok_visa\"}", customer);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String orderId = TestHttp.json(placed).get("id").asText();
        Await.until("the order to be confirmed", Duration.ofSeconds(10), () -> TestHttp.get(
                orders.baseUrl() + "/orders/" + orderId, customer).body().contains("\"status\":\"CONFIRMED\""));

        List<JsonNode> steps = run(List.of("node", "client.mjs"), Map.of(
                "NATS_URL", system.nats.url(),
                "NATS_NKEY_SEED", seed(),
                "CATALOG_URL", catalog.baseUrl(),
                "ACCESS_TOKEN", customer,
                "ORDER_ID", orderId), Duration.ofSeconds(60)).stream()
                .filter(line -> line.startsWith("{")).map(NodeClientIT::json).toList();

        assertThat(steps).extracting(step -> step.get("step").asText())
                .containsSubsequence("discovered", "http", "get-products", "reserve-stock", "event", "event", "done");
        JsonNode discovered = steps.getFirst();
        assertThat(discovered.get("services").toString()).contains("catalog", "orders");
        assertThat(discovered.get("catalog").toString()).contains("catalog.get-products", "catalog.reserve-stock");
        assertThat(step(steps, "get-products").get("found").toString())
                .isEqualTo("[\"" + step(steps, "http").get("sku").asText() + "\"]");
        assertThat(step(steps, "reserve-stock").get("reserved").asBoolean()).isTrue();
        assertThat(step(steps, "done").get("events").toString()).isEqualTo("[\"order-placed\",\"order-confirmed\"]");
    }

    @Test
    void theClientsUserMayNotPublishEvents() throws Exception {
        // Least privilege, seen from the client: a publish outside its permissions is refused by the server.
        String script = "import {connect,nkeyAuthenticator} from 'nats';"
                + "const nc=await connect({servers:process.env.NATS_URL,inboxPrefix:'_INBOX_node-client',"
                + "authenticator:nkeyAuthenticator(new TextEncoder().encode(process.env.NATS_NKEY_SEED))});"
                + "let denied=false;(async()=>{for await(const s of nc.status()){if(s.type==='error')denied=true;}})();"
                + "nc.publish('orders.events.order-confirmed','{}');await nc.flush();"
                + "await new Promise(r=>setTimeout(r,500));console.log(JSON.stringify({denied}));await nc.close();";
        List<String> out = run(List.of("node", "--input-type=module", "-e", script),
                Map.of("NATS_URL", system.nats.url(), "NATS_NKEY_SEED", seed()), Duration.ofSeconds(30));
        assertThat(out).contains("{\"denied\":true}");
    }

    private static JsonNode step(List<JsonNode> steps, String name) {
        return steps.stream().filter(s -> s.get("step").asText().equals(name)).findFirst().orElseThrow();
    }

    private static String seed() throws IOException {
        return Files.readAllLines(ProjectNatsAuth.authFile().resolveSibling("local.env")).stream()
                .filter(line -> line.startsWith("NODE_CLIENT_NKEY_SEED="))
                .map(line -> line.substring("NODE_CLIENT_NKEY_SEED=".length())).findFirst().orElseThrow();
    }

    private static JsonNode json(String line) {
        try {
            return dev.bazaar.kit.Json.codec().mapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    /** Runs {@code command} in the client's folder; its output (stdout and stderr) as lines; fails on exit != 0. */
    private static List<String> run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes(); // ends when the process closes its output
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + timeout);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command + " output:\n" + text).isZero();
        return text.lines().toList();
    }
}
