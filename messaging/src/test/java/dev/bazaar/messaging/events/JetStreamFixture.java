package dev.bazaar.messaging.events;

import dev.bazaar.messaging.Fixtures;
import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.TestTelemetry;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.JetStreamManagement;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * What the JetStream integration tests of one class share: a nats-server, an in-memory {@link TestTelemetry}, a
 * connection to the server with that telemetry, its JetStream management and an {@link EventPublisher} on it.
 * Started together by {@link #start}, closed in reverse order.
 */
public record JetStreamFixture(TestNatsServer server, TestTelemetry telemetry, NatsMessaging nats,
                               JetStreamManagement jsm, EventPublisher publisher) implements AutoCloseable {

    /** Starts a nats-server and the telemetry, and connects to the server as {@code connectionName}. */
    public static JetStreamFixture start(String connectionName) {
        TestNatsServer server = TestNatsServer.start();
        TestTelemetry telemetry = new TestTelemetry();
        NatsMessaging nats = null;
        try {
            nats = connect(server, telemetry, connectionName);
            return new JetStreamFixture(server, telemetry, nats, nats.connection().jetStreamManagement(),
                    new EventPublisher(nats));
        } catch (IOException | RuntimeException e) {
            if (nats != null) {
                nats.close();
            }
            telemetry.close();
            server.close();
            throw new IllegalStateException("JetStream fixture " + connectionName + " did not start", e);
        }
    }

    /** {@code prefix}, an underscore and eight random upper-case hex digits, e.g. {@code ORDERS_1A2B3C4D}. */
    public static String unique(String prefix) {
        return prefix + "_" + shortId().toUpperCase();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static NatsMessaging connect(TestNatsServer server, TestTelemetry telemetry, String connectionName) {
        return NatsMessaging.connect(Fixtures.settings(server, connectionName), telemetry.openTelemetry(),
                JsonCodec.standard());
    }

    /** Another connection to the server as {@code connectionName}, with the same telemetry; the caller closes it. */
    public NatsMessaging connect(String connectionName) {
        return connect(server, telemetry, connectionName);
    }

    /**
     * Declares a stream of one test's own, {@code PREFIX_<ID>} on {@code prefix<id>.events.>}, and the dead letters of
     * a service {@code svc<id>}, both with {@code settings}.
     *
     * @param event    the last token of the test's subject, {@code prefix<id>.events.<event>}
     * @param consumer the test's durable consumer is {@code svc<id>-<consumer>}
     */
    public TestStream freshStream(String prefix, String event, String consumer, StreamSettings settings) {
        String id = shortId();
        String name = prefix.toUpperCase() + "_" + id.toUpperCase();
        String events = prefix + id + ".events.";
        Streams.ensure(nats, new StreamSpec(name, List.of(events + ">")), settings);
        String service = "svc" + id;
        return new TestStream(name, events + event, service + "-" + consumer,
                DeadLetters.forService(nats, service, settings));
    }

    @Override
    public void close() {
        nats.close();
        telemetry.close();
        server.close();
    }

    /** One test's stream, the subject its events are published on, its durable consumer and its dead letters. */
    public record TestStream(String name, String subject, String durable, DeadLetters deadLetters) {
    }
}
