package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestHttp;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the services cost nats-server (issue 12), counted by the server itself ({@code /varz}, {@code /connz}): idle,
 * almost no messages (a listener pulls every 10 s); per order, the saga's messages and little
 * more. Counts, not timings, so the machine's load does not change them.
 */
class NatsTrafficIT {
    static final String MUG = "00000000-0000-4000-8000-000000000001";
    static final int ORDERS = 20;
    static SystemUnderTest system;
    static RunningApp orders;
    static String customer;

    @BeforeAll
    static void start() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        system = SystemUnderTest.start("traffic");
        system.start("catalog", dev.bazaar.catalog.Main::start, spans);
        orders = system.start("orders", dev.bazaar.orders.Main::start, spans);
        system.start("payments", dev.bazaar.payments.Main::start, spans);
        system.start("notifications", dev.bazaar.notifications.Main::start, spans);
        customer = system.tokens.customer("traffic-" + UUID.randomUUID());
        awaitConfirmed(place()); // every listener bound and warm
    }

    @AfterAll
    static void stop() throws Exception {
        system.close();
    }

    @Test
    void idleServicesSendNatsNothingAndAnOrderCostsTheSagaMessages() throws Exception {
        Thread.sleep(1_000); // the warm-up order's acks and last pulls settle
        JsonNode idleFrom = varz();
        Thread.sleep(5_000);
        JsonNode idleTo = varz();
        long idleIn = idleTo.get("in_msgs").asLong() - idleFrom.get("in_msgs").asLong();
        long idleOut = idleTo.get("out_msgs").asLong() - idleFrom.get("out_msgs").asLong();

        Map<String, long[]> connectionsFrom = connections();
        JsonNode from = varz();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            placed.add(place());
        }
        placed.forEach(NatsTrafficIT::awaitConfirmed);
        Thread.sleep(1_000); // the last acks
        JsonNode to = varz();
        double in = (to.get("in_msgs").asLong() - from.get("in_msgs").asLong()) / (double) ORDERS;
        double out = (to.get("out_msgs").asLong() - from.get("out_msgs").asLong()) / (double) ORDERS;
        StringBuilder perConnection = new StringBuilder();
        connections().forEach((name, counts) -> {
            long[] before = connectionsFrom.getOrDefault(name, new long[2]);
            perConnection.append(String.format(" %s in %.1f out %.1f;", name,
                    (counts[0] - before[0]) / (double) ORDERS, (counts[1] - before[1]) / (double) ORDERS));
        });
        System.out.printf("nats-server traffic: idle 5 s in %d out %d; per order in %.1f out %.1f;%s%n",
                idleIn, idleOut, in, out, perConnection);

        // Idle: 4 listeners pulling with a 1 s expiry cost 20 pull requests and 20 timeout statuses in 5 s.
        assertThat(idleIn).as("messages into nats-server in 5 s idle").isLessThanOrEqualTo(6);
        // One order: reserve request + reply, 3 publishes, 6 acks in; their deliveries, 3 publish acks out (11 + 11),
        // plus pull requests: batching keeps them well under one per delivery.
        assertThat(in).as("messages into nats-server per order").isLessThanOrEqualTo(16);
        assertThat(out).as("messages out of nats-server per order").isLessThanOrEqualTo(16);
    }

    private static JsonNode varz() {
        return TestHttp.json(TestHttp.get(system.nats.monitorUrl() + "/varz"));
    }

    /** in_msgs and out_msgs per connection name. */
    private static Map<String, long[]> connections() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (JsonNode connection : TestHttp.json(TestHttp.get(system.nats.monitorUrl() + "/connz?limit=100"))
                .path("connections")) {
            counts.merge(connection.path("name").asText("?"),
                    new long[] {connection.path("in_msgs").asLong(), connection.path("out_msgs").asLong()},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        return counts;
    }

    private static String place() {
        HttpResponse<String> placed = TestHttp.post(orders.baseUrl() + "/orders",
                "{\"items\":[{\"productId\":\"" + MUG + "\",\"quantity\":1}],\"paymentToken\":\"tok_visa\"}", customer);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        return TestHttp.json(placed).get("id").asText();
    }

    private static void awaitConfirmed(String orderId) {
        Await.until("order " + orderId + " confirmed", Duration.ofSeconds(20), () -> TestHttp.json(
                TestHttp.get(orders.baseUrl() + "/orders/" + orderId, customer)).path("status").asText()
                .equals("CONFIRMED"));
    }
}
