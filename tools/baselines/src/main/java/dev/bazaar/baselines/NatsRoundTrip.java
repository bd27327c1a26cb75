package dev.bazaar.baselines;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.NatsSettings;
import dev.bazaar.messaging.RunningService;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One NATS request-reply hop, client and responder in this JVM on one nats-server: plain jnats (core request,
 * a dispatcher replying; Jackson on both sides, as any hand-written service would) against the messaging library
 * ({@code RequestClient} to a {@code ServiceEndpoints} endpoint), tracing off and on. Rounds alternate the three so
 * that a neighbour's load on the machine falls on all of them; each figure is the best of its rounds.
 */
final class NatsRoundTrip {
    record Ask(String productId, int quantity) {
    }

    record Answer(String productId, int quantity, long priceMinor, String currency) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private NatsRoundTrip() {
    }

    static List<Measured> run(String url, int concurrency, Duration length, int rounds) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Ask ask = new Ask("00000000-0000-4000-8000-000000000001", 2);
        LongAdder spans = new LongAdder();
        List<List<Measured>> byVariant = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (Connection responder = Nats.connect(options(url, "plain-responder"));
             Connection requester = Nats.connect(options(url, "plain-requester"));
             OpenTelemetrySdk traced = Telemetries.traced(spans);
             Library off = new Library(url, "off", Telemetries.off());
             Library on = new Library(url, "on", traced)) {
            Dispatcher dispatcher = responder.createDispatcher(message -> reply(responder, mapper, message));
            dispatcher.subscribe("baseline.plain.price", "baseline");
            responder.flush(TIMEOUT);
            Measured.Operation plain = () -> {
                Message reply = requester.request("baseline.plain.price", mapper.writeValueAsBytes(ask), TIMEOUT);
                if (reply == null) {
                    throw new IllegalStateException("no reply");
                }
                mapper.readValue(reply.getData(), Answer.class);
            };
            // warm-up: the JIT compiles all three paths before anything is measured
            Duration warmup = Duration.ofSeconds(Math.max(1, length.toSeconds() / 2));
            Measured.closedLoop("warm-up", concurrency, warmup, plain);
            Measured.closedLoop("warm-up", concurrency, warmup, off.operation(ask));
            Measured.closedLoop("warm-up", concurrency, warmup, on.operation(ask));
            for (int r = 0; r < rounds; r++) {
                byVariant.get(0).add(Measured.closedLoop("nats request-reply, plain jnats", concurrency, length, plain));
                byVariant.get(1).add(Measured.closedLoop("nats request-reply, messaging", concurrency, length,
                        off.operation(ask)));
                byVariant.get(2).add(Measured.closedLoop("nats request-reply, messaging traced", concurrency, length,
                        on.operation(ask)));
            }
        }
        List<Measured> best = new ArrayList<>();
        for (List<Measured> variant : byVariant) {
            best.add(variant.stream().max(java.util.Comparator.comparingDouble(Measured::rate)).orElseThrow());
        }
        if (spans.sum() == 0) {
            throw new IllegalStateException("the traced variant exported no span: tracing was not on");
        }
        return best;
    }

    private static void reply(Connection connection, ObjectMapper mapper, Message message) {
        try {
            Ask ask = mapper.readValue(message.getData(), Ask.class);
            connection.publish(message.getReplyTo(),
                    mapper.writeValueAsBytes(new Answer(ask.productId(), ask.quantity(), 1299, "EUR")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Options options(String url, String name) {
        return new Options.Builder().server(url).connectionName(name).build();
    }

    /** The same hop through the messaging library: a service endpoint and a request client on two connections. */
    private static final class Library implements AutoCloseable {
        private final NatsMessaging service;
        private final NatsMessaging client;
        private final RunningService running;
        private final String subject;

        Library(String url, String label, OpenTelemetry telemetry) {
            subject = "baseline-" + label + ".price";
            service = NatsMessaging.connect(NatsSettings.local(url, "lib-responder-" + label), telemetry,
                    JsonCodec.standard());
            client = NatsMessaging.connect(NatsSettings.local(url, "lib-requester-" + label), telemetry,
                    JsonCodec.standard());
            running = service.service("baseline-" + label, "1.0.0", "baseline responder")
                    .endpoint(subject, Ask.class, Answer.class, (ask, context) ->
                            new Answer(ask.productId(), ask.quantity(), 1299, "EUR"))
                    .start();
        }

        Measured.Operation operation(Ask ask) {
            return () -> client.requests().request(subject, ask, Answer.class, TIMEOUT);
        }

        @Override
        public void close() {
            running.stop();
            client.close();
            service.close();
        }
    }
}
