package dev.bazaar.messaging.events;

import dev.bazaar.messaging.Fixtures;
import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestNatsServer;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Faults around a running listener, each test with its own nats-server since some restart it. */
class ListenerFaultsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    record Created(String id) {
    }

    private TestNatsServer server;
    private NatsMessaging nats;
    private EventPublisher publisher;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private EventListener listener;

    @BeforeEach
    void start() {
        server = TestNatsServer.start();
        nats = NatsMessaging.connect(Fixtures.settings(server, "faults-it"), OpenTelemetry.noop(), JsonCodec.standard());
        publisher = new EventPublisher(nats, Duration.ofSeconds(1));
        Streams.ensure(nats, new StreamSpec("THINGS", List.of("things.events.>")), StreamSettings.local());
        ConsumerSpec spec = new ConsumerSpec("THINGS", "faults-things", "things.events.>", Duration.ofSeconds(1), 3,
                List.of(Duration.ofMillis(100), Duration.ofMillis(200)), 16);
        listener = EventListener.builder(nats, spec, DeadLetters.forService(nats, "faults", StreamSettings.local()))
                .on("things.events.created", Created.class, (event, context) -> seen.add(event.id()))
                .start();
        Await.until("bound", WAIT, listener::isBound);
    }

    @AfterEach
    void stop() {
        listener.close();
        nats.close();
        server.close();
    }

    @Test
    void aDeletedConsumerIsCreatedAgain() throws Exception {
        publish("before");
        Await.until("first event", WAIT, () -> seen.contains("before"));

        nats.connection().jetStreamManagement().deleteConsumer("THINGS", "faults-things");
        publish("after");

        Await.until("event after the deletion", WAIT, () -> seen.contains("after"));
        assertThat(listener.isBound()).isTrue();
    }

    @Test
    void theListenerResumesAfterTheServerRestartsAndLosesNothing() {
        for (int i = 0; i < 10; i++) {
            publish("early-" + i);
        }

        server.restart();
        Await.until("reconnected", WAIT, nats::isConnected);
        for (int i = 0; i < 10; i++) {
            String id = "late-" + i;
            Await.until("published " + id, WAIT, () -> tryPublish(id));
        }

        Await.until("all 20 processed", WAIT, () -> seen.size() == 20);
        Await.until("bound", WAIT, listener::isBound);
        assertThat(listener.deadLettered()).isZero();
    }

    private void publish(String id) {
        publisher.publish("things.events.created", id, new Created(id));
    }

    private boolean tryPublish(String id) {
        try {
            publish(id);
            return true;
        } catch (MessagingException e) {
            return false; // JetStream may need a moment after the restart; same id, so a retry is stored once
        }
    }
}
