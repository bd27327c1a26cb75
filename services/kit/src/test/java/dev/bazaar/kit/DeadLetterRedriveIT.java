package dev.bazaar.kit;

import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetter;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.PoisonEventException;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestNatsServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.nats.client.api.StorageType;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters left by an outage are processed again by themselves once it is over (issue 9, gap 2), on a real
 * nats-server: a handler that fails while "the database is down" dead-letters its events after two deliveries; once
 * it is back, the redrive replays them, and leaves poison alone.
 */
class DeadLetterRedriveIT {
    static final Duration WAIT = Duration.ofSeconds(15);

    record Thing(String name) {
    }

    @Test
    void deadLettersFromAnOutageAreRedrivenAutomaticallyAndPoisonIsKept() {
        try (TestNatsServer server = TestNatsServer.start();
             Telemetry telemetry = Telemetry.forTests("redrive-it", InMemorySpanExporter.create());
             NatsMessaging nats = NatsMessaging.connect(NatsSettings.local(server.url(), "redrive-it"),
                     telemetry.openTelemetry(), Json.codec())) {
            StreamSettings settings = new StreamSettings(StorageType.Memory, 1, Duration.ofHours(1), Duration.ofSeconds(1));
            Streams.ensure(nats, new StreamSpec("THINGS", List.of("things.events.>")), settings);
            DeadLetters deadLetters = DeadLetters.forService(nats, "things", settings);
            AtomicBoolean down = new AtomicBoolean(true);
            Set<String> handled = ConcurrentHashMap.newKeySet();
            ConsumerSpec spec = new ConsumerSpec("THINGS", "things-it", "things.events.>", Duration.ofSeconds(5), 2,
                    List.of(Duration.ofMillis(100)), 16);
            try (EventListener listener = EventListener.builder(nats, spec, deadLetters)
                    .on("things.events.made", Thing.class, (thing, context) -> {
                        if (thing.name().startsWith("poison")) {
                            throw new PoisonEventException("never valid");
                        }
                        if (down.get()) {
                            throw new IllegalStateException("database is down");
                        }
                        handled.add(thing.name());
                    })
                    .start()) {
                EventPublisher publisher = new EventPublisher(nats);
                publisher.publish("things.events.made", UUID.randomUUID().toString(), new Thing("during-outage"));
                publisher.publish("things.events.made", UUID.randomUUID().toString(), new Thing("poison-1"));
                Await.until("both dead-lettered", WAIT, () -> listener.deadLettered() == 2);

                DeadLetterRedrive manual = new DeadLetterRedrive(deadLetters, List.of(listener), Duration.ZERO,
                        java.time.Clock.systemUTC(), Duration.ZERO);
                assertThat(manual.redriveOnce()).as("still down: kept for the next round").isZero();
                assertThat(deadLetters.list(10)).hasSize(2);

                Config events = Config.just(ConfigSources.create(Map.of("redrive.interval", "PT0.2S",
                        "redrive.min-age", "PT0S")));
                try (DeadLetterRedrive automatic = DeadLetterRedrive.start(events, deadLetters, List.of(listener))) {
                    down.set(false);
                    Await.until("the outage's dead letter redriven without anyone asking", WAIT,
                            () -> handled.contains("during-outage"));
                    Await.until("and removed", WAIT, () -> deadLetters.list(10).size() == 1);
                    assertThat(deadLetters.list(10)).extracting(DeadLetter::reason).containsExactly(DeadLetter.POISON);
                    assertThat(automatic.redriven()).isEqualTo(1);
                }
            }
        }
    }
}
