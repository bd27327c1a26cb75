package dev.bazaar.messaging.events;

import dev.bazaar.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nats-server comes back with an empty JetStream store (issue 9, gap 3): the streams the connection declared are
 * created again after the reconnect, without waiting for a publish, and a running listener binds again and consumes.
 */
class FreshStoreIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static JetStreamFixture fixture;

    record Created(String id) {
    }

    @BeforeAll
    static void start() {
        fixture = JetStreamFixture.start("fresh-store-it");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void streamsAreCreatedAgainAfterAReconnectToAnEmptyStoreAndListenersConsumeAgain() throws Exception {
        JetStreamFixture.TestStream stream = fixture.freshStream("fresh", "created", "reader", StreamSettings.local());
        AtomicInteger handled = new AtomicInteger();
        ConsumerSpec spec = new ConsumerSpec(stream.name(), stream.durable(), stream.subject(), Duration.ofSeconds(5),
                3, List.of(Duration.ofMillis(100), Duration.ofMillis(200)), 16);
        try (EventListener listener = EventListener.builder(fixture.nats(), spec, stream.deadLetters())
                .on(stream.subject(), Created.class, (event, context) -> handled.incrementAndGet())
                .start()) {
            Await.until("bound", WAIT, listener::isBound);
            fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(), new Created("before"));
            Await.until("consumed before the loss", WAIT, () -> handled.get() == 1);

            fixture.server().stop();
            deleteTree(fixture.server().storeDir().resolve("jetstream"));
            fixture.server().restart();

            Await.until("stream " + stream.name() + " created again after the reconnect", WAIT, () -> exists(stream.name()));
            Await.until("the listener's consumer created again", WAIT, () -> consumerExists(stream.name(), spec.durable()));
            fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(), new Created("after"));
            Await.until("consumed after the loss", WAIT, () -> handled.get() == 2);
            assertThat(listener.isBound()).isTrue();
        }
    }

    private static boolean exists(String name) {
        try {
            fixture.jsm().getStreamInfo(name);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean consumerExists(String stream, String durable) {
        try {
            fixture.jsm().getConsumerInfo(stream, durable);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
