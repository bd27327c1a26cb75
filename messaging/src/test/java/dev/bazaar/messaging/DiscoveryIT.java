package dev.bazaar.messaging;

import dev.bazaar.messaging.Fixtures.Greet;
import dev.bazaar.messaging.Fixtures.Greeting;
import dev.bazaar.testing.TestNatsServer;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.InfoResponse;
import io.nats.service.PingResponse;
import io.nats.service.ServiceResponse;
import io.nats.service.StatsResponse;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryIT {
    private static TestNatsServer server;
    private static NatsMessaging first;
    private static NatsMessaging second;
    private static NatsMessaging client;
    private static RunningService firstService;
    private static RunningService secondService;

    @BeforeAll
    static void start() {
        server = TestNatsServer.start();
        first = connect("inventory-1");
        second = connect("inventory-2");
        client = connect("client");
        firstService = startInventory(first, "one");
        secondService = startInventory(second, "two");
    }

    @AfterAll
    static void stop() {
        client.close();
        first.close();
        second.close();
        server.close();
    }

    @Test
    void pingFindsBothInstancesByName() {
        List<PingResponse> all = discovery().ping();
        List<PingResponse> inventory = discovery().ping("inventory");

        assertThat(all).extracting(ServiceResponse::getName).contains("inventory");
        assertThat(inventory).extracting(ServiceResponse::getId)
                .containsExactlyInAnyOrder(firstService.id(), secondService.id());
        assertThat(inventory).extracting(ServiceResponse::getVersion).containsOnly("0.1.0");
    }

    @Test
    void infoListsTheEndpointsWithSubjectsAndQueueGroup() {
        List<InfoResponse> infos = discovery().info("inventory");

        assertThat(infos).hasSize(2);
        InfoResponse info = infos.get(0);
        assertThat(info.getDescription()).isEqualTo("stock levels");
        assertThat(info.getEndpoints()).extracting(Endpoint::getName).containsExactlyInAnyOrder("reserve", "release");
        assertThat(info.getEndpoints()).extracting(Endpoint::getSubject)
                .containsExactlyInAnyOrder("inventory.reserve", "inventory.release");
        assertThat(info.getEndpoints()).extracting(Endpoint::getQueueGroup).containsOnly("inventory");
    }

    @Test
    void queueGroupSpreadsRequestsOverInstancesAndStatsCountThem() {
        Map<String, Integer> answeredBy = new ConcurrentHashMap<>();
        for (int i = 0; i < 50; i++) {
            Greeting reply = client.requests().request("inventory.reserve", new Greet("sku-" + i), Greeting.class,
                    Duration.ofSeconds(2));
            answeredBy.merge(reply.text(), 1, Integer::sum);
        }

        assertThat(answeredBy).containsOnlyKeys("one", "two");
        assertThat(answeredBy.values()).allSatisfy(count -> assertThat(count).isPositive());
        List<StatsResponse> stats = discovery().stats("inventory");
        long served = stats.stream().flatMap(s -> s.getEndpointStatsList().stream())
                .filter(e -> e.getName().equals("reserve"))
                .mapToLong(e -> e.getNumRequests())
                .sum();
        assertThat(served).isGreaterThanOrEqualTo(50);
        assertThat(stats.get(0).getEndpointStatsList().get(0).getDataAsJson()).contains("\"handled\"", "\"errors\"");
    }

    @Test
    void stoppedInstanceLeavesDiscovery() {
        NatsMessaging third = connect("inventory-3");
        try {
            RunningService thirdService = startInventory(third, "three");
            assertThat(new Discovery(client.connection(), 1000, 3).ping("inventory")).hasSize(3);

            thirdService.stop();

            assertThat(new Discovery(client.connection(), 500, 3).ping("inventory")).extracting(ServiceResponse::getId)
                    .doesNotContain(thirdService.id());
        } finally {
            third.close();
        }
    }

    private static Discovery discovery() {
        // Short max time, and stop as soon as both instances answered.
        return new Discovery(client.connection(), 1000, 2);
    }

    private static NatsMessaging connect(String name) {
        return NatsMessaging.connect(Fixtures.settings(server, name), OpenTelemetry.noop(), JsonCodec.standard());
    }

    private static RunningService startInventory(NatsMessaging messaging, String instance) {
        return messaging.service("inventory", "0.1.0", "stock levels")
                .endpoint("inventory.reserve", Greet.class, Greeting.class, (request, context) -> new Greeting(instance, Instant.now()))
                .endpoint("inventory.release", Greet.class, Greeting.class, (request, context) -> new Greeting(instance, Instant.now()))
                .start();
    }
}
