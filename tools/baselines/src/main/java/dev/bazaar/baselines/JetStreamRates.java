package dev.bazaar.baselines;

import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.events.ConsumerSpec;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.messaging.outbox.OutboxSettings;
import dev.bazaar.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * JetStream throughput, one stream per figure on one nats-server: plain jnats publish (synchronous, each waiting for
 * its ack, with a {@code Nats-Msg-Id} as the relay sends) and pull consume (fetch batches, ack each) against the
 * messaging library's {@code EventPublisher}, its outbox relay (rows committed beforehand in a throwaway database,
 * then the time until the relay has published and marked them all) and its {@code EventListener} (a no-op handler
 * on messages already in the stream).
 */
final class JetStreamRates {
    record Placed(String orderId, int lines) {
    }

    private static final Duration WAIT = Duration.ofMinutes(2);

    private JetStreamRates() {
    }

    static List<Measured> run(String url, int messages) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Measured> figures = new ArrayList<>();
        try (Connection plain = Nats.connect(NatsRoundTrip.options(url, "plain-jetstream"));
             NatsMessaging nats = NatsMessaging.connect(NatsSettings.local(url, "lib-jetstream"), OpenTelemetry.noop(),
                     JsonCodec.standard())) {
            JetStream js = plain.jetStream();
            EventPublisher publisher = new EventPublisher(nats);
            // warm-up of both publish paths, on their own stream
            String warm = stream(nats, "WARM");
            publishPlain(js, mapper, warm, Math.min(messages, 2_000));
            for (int i = 0; i < Math.min(messages, 2_000); i++) {
                publisher.publish(warm + ".x", UUID.randomUUID().toString(), new Placed("w", i));
            }

            String a = stream(nats, "PLAIN");
            figures.add(timed("jetstream publish, plain jnats", messages, () -> publishPlain(js, mapper, a, messages)));
            figures.add(timed("jetstream consume, plain jnats", messages, () -> consumePlain(js, a, messages)));

            String b = stream(nats, "LIB");
            figures.add(timed("jetstream publish, EventPublisher", messages, () -> {
                for (int i = 0; i < messages; i++) {
                    publisher.publish(b + ".x", UUID.randomUUID().toString(), new Placed("o-" + i, 1));
                }
            }));
            figures.add(consumeLibrary(nats, b, messages));
            figures.add(relay(nats, publisher, stream(nats, "RELAY"), messages));
        }
        return figures;
    }

    private static String stream(NatsMessaging nats, String label) {
        String name = "BASELINE_" + label + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Streams.ensure(nats, new StreamSpec(name, List.of(name.toLowerCase() + ".>")), StreamSettings.local());
        return name.toLowerCase();
    }

    private static void publishPlain(JetStream js, ObjectMapper mapper, String subjectPrefix, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            Headers headers = new Headers().add("Nats-Msg-Id", UUID.randomUUID().toString());
            PublishAck ack = js.publish(subjectPrefix + ".x", headers, mapper.writeValueAsBytes(new Placed("o-" + i, 1)));
            if (ack.isDuplicate()) {
                throw new IllegalStateException("duplicate");
            }
        }
    }

    private static void consumePlain(JetStream js, String subjectPrefix, int count) throws Exception {
        JetStreamSubscription subscription = js.subscribe(subjectPrefix + ".>",
                PullSubscribeOptions.builder().durable("plain-consumer").build());
        int seen = 0;
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (seen < count && System.nanoTime() < giveUp) {
            for (Message message : subscription.fetch(256, Duration.ofSeconds(1))) {
                message.ack();
                seen++;
            }
        }
        subscription.unsubscribe();
        if (seen < count) {
            throw new IllegalStateException("plain consumer saw " + seen + " of " + count);
        }
    }

    private static Measured consumeLibrary(NatsMessaging nats, String subjectPrefix, int count) throws Exception {
        String stream = subjectPrefix.toUpperCase();
        DeadLetters deadLetters = DeadLetters.forService(nats, "baseline", StreamSettings.local());
        long cpu = Cpu.processNanos();
        long start = System.nanoTime();
        try (EventListener listener = EventListener.builder(nats,
                        ConsumerSpec.of(stream, "baseline-consumer", subjectPrefix + ".>"), deadLetters)
                .on(subjectPrefix + ".x", Placed.class, (event, context) -> { })
                .start()) {
            waitUntil(() -> listener.processed() >= count, "EventListener processed " + count);
        }
        return Measured.batch("jetstream consume, EventListener", count, System.nanoTime() - start,
                Cpu.processNanos() - cpu);
    }

    private static Measured relay(NatsMessaging nats, EventPublisher publisher, String subjectPrefix, int count)
            throws Exception {
        try (TestDatabase database = TestDatabase.create("baseline_outbox")) {
            Flyway.configure().dataSource(database.url(), database.user(), database.password())
                    .locations("classpath:db/messaging").table("messaging_schema_history").load().migrate();
            Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password());
            Outbox outbox = new Outbox(nats.codec(), OpenTelemetry.noop());
            for (int done = 0; done < count; done += 500) {
                int from = done;
                jdbi.useTransaction(handle -> {
                    for (int i = from; i < Math.min(count, from + 500); i++) {
                        outbox.append(handle, subjectPrefix + ".x", UUID.randomUUID(), new Placed("o-" + i, 1));
                    }
                });
            }
            long cpu = Cpu.processNanos();
            long start = System.nanoTime();
            try (OutboxRelay relay = OutboxRelay.start(jdbi, publisher, OutboxSettings.defaults())) {
                relay.wakeUp();
                waitUntil(() -> relay.backlog() == 0, "the relay published " + count);
                return Measured.batch("outbox relay publish", count, System.nanoTime() - start,
                        Cpu.processNanos() - cpu);
            }
        }
    }

    private static Measured timed(String name, int count, Measured.Operation work) throws Exception {
        long cpu = Cpu.processNanos();
        long start = System.nanoTime();
        work.run();
        return Measured.batch(name, count, System.nanoTime() - start, Cpu.processNanos() - cpu);
    }

    private static void waitUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("not done within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }
}
