package dev.bazaar.messaging;

import dev.bazaar.messaging.Fixtures.Greet;
import dev.bazaar.messaging.Fixtures.Greeting;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void reconnectsAfterServerRestartAndServesAgain() {
        try (TestNatsServer server = TestNatsServer.start();
             NatsMessaging service = connect(server, "ping-service");
             NatsMessaging client = connect(server, "ping-client")) {
            startPing(service);
            assertThat(ping(client)).isEqualTo("pong x");

            server.restart();

            Await.until("both connections reconnected", Duration.ofSeconds(10), () ->
                    service.events().count(Events.RECONNECTED) >= 1 && client.events().count(Events.RECONNECTED) >= 1
                            && service.isConnected() && client.isConnected());
            assertThat(service.events().count(Events.DISCONNECTED)).isGreaterThanOrEqualTo(1);
            assertThat(client.events().count(Events.DISCONNECTED)).isGreaterThanOrEqualTo(1);
            assertThat(client.events().snapshot()).containsKeys("CONNECTED", "RECONNECTED", "errors");
            // Resubscription reaches the server right after RECONNECTED; retry until it has.
            assertThat(Await.value("a reply after reconnect", Duration.ofSeconds(5), () -> pingOrNull(client)))
                    .isEqualTo("pong x");
        }
    }

    @Test
    void anIdempotentRequestWaitingWhenTheServerRestartsIsSentAgainAndAnswered() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (TestNatsServer server = TestNatsServer.start();
             NatsMessaging service = connect(server, "once-service");
             NatsMessaging client = connect(server, "once-client");
             ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            // The first delivery never answers (its request, or its reply, goes with the old connection).
            service.service("once", "1.0.0", "answers from the second delivery on")
                    .endpoint("once.now", Greet.class, Greeting.class, (request, context) -> {
                        if (deliveries.incrementAndGet() == 1) {
                            first.countDown();
                            try {
                                done.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return new Greeting("again " + request.name(), Instant.now());
                    })
                    .start();
            Future<String> reply = executor.submit(() -> client.requests().requestIdempotent("once.now",
                    new Greet("x"), Map.of(), Greeting.class, Duration.ofSeconds(10)).text());
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            long restartedAt = System.nanoTime();

            server.restart();

            assertThat(reply.get(15, TimeUnit.SECONDS)).isEqualTo("again x");
            assertThat(Duration.ofNanos(System.nanoTime() - restartedAt)).as("not the whole timeout")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(deliveries.get()).isEqualTo(2);
            done.countDown();
        }
    }

    @Test
    void aRequestToASubjectWhoseResponderIsBackWithinTheFailoverIsAnswered() throws Exception {
        try (TestNatsServer server = TestNatsServer.start();
             NatsMessaging service = connect(server, "late-service");
             NatsMessaging client = connect(server, "early-client");
             ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> reply = executor.submit(() -> ping(client));
            Thread.sleep(RequestClient.FAILOVER.dividedBy(5));

            startPing(service); // a responder reconnecting after a failover, subscribed again

            assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("pong x");
        }
    }

    @Test
    void startsUnreadyWhileServerIsDownAndServesOnceItIsUp() {
        try (TestNatsServer server = TestNatsServer.start()) {
            server.stop();
            long start = System.nanoTime();
            try (NatsMessaging service = connect(server, "early-service")) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                assertThat(service.isConnected()).isFalse();
                startPing(service); // registered while disconnected: subscribed on connect

                server.restart();

                Await.until("connected", Duration.ofSeconds(10), service::isConnected);
                try (NatsMessaging client = connect(server, "late-client")) {
                    assertThat(Await.value("a reply", Duration.ofSeconds(5), () -> pingOrNull(client)))
                            .isEqualTo("pong x");
                }
            }
        }
    }

    @Test
    void closeWhileServerIsDownReturnsPromptly() throws IOException {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort(); // nothing listens there once the probe is closed
        }
        NatsMessaging messaging = NatsMessaging.connect(
                Fixtures.settings("nats://127.0.0.1:" + freePort, "never-connected", 65536),
                OpenTelemetry.noop(), JsonCodec.standard());
        assertThat(messaging.isConnected()).isFalse();
        assertThatThrownBy(() -> messaging.requests().request("ping.now", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOf(MessagingException.class);
        long start = System.nanoTime();

        messaging.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(messaging.connection().getStatus()).isEqualTo(Connection.Status.CLOSED);
    }

    private static NatsMessaging connect(TestNatsServer server, String name) {
        return NatsMessaging.connect(Fixtures.settings(server, name), OpenTelemetry.noop(), JsonCodec.standard());
    }

    private static void startPing(NatsMessaging messaging) {
        messaging.service("ping", "1.0.0", "answers pong")
                .endpoint("ping.now", Greet.class, Greeting.class, (request, context) -> new Greeting("pong " + request.name(), Instant.now()))
                .start();
    }

    private static String ping(NatsMessaging client) {
        return client.requests().request("ping.now", new Greet("x"), Greeting.class, TIMEOUT).text();
    }

    private static String pingOrNull(NatsMessaging client) {
        try {
            return ping(client);
        } catch (MessagingException e) {
            return null;
        }
    }
}
