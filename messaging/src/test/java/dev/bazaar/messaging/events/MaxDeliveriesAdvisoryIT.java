package dev.bazaar.messaging.events;

import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.JetStreamFixture.TestStream;
import dev.bazaar.testing.Await;
import io.nats.client.impl.Headers;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.bazaar.messaging.MessagingTelemetry.DUPLICATE;
import static dev.bazaar.messaging.MessagingTelemetry.MESSAGE_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages nats-server stops delivering without the listener having settled their last delivery: dead-lettered once,
 * by the instance that hears the server's MAX_DELIVERIES advisory, on a real nats-server.
 */
class MaxDeliveriesAdvisoryIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    record Created(String id) {
    }

    private static JetStreamFixture fixture;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private TestStream stream;

    @BeforeAll
    static void startNats() {
        fixture = JetStreamFixture.start("advisory-it");
    }

    @AfterAll
    static void stopNats() {
        fixture.close();
    }

    @BeforeEach
    void freshStreamAndDeadLetters() {
        stream = fixture.freshStream("things", "created", "things", StreamSettings.local());
    }

    @AfterEach
    void closeInReverse() throws Exception {
        release.countDown();
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aMessageWhoseLastDeliveryIsNeverSettledIsDeadLetteredFromTheAdvisory() throws Exception {
        // Two deliveries: the first fails (nak'ed, back in 1 s), the second hangs until its instance dies.
        ConsumerSpec spec = spec(List.of(Duration.ofSeconds(1)));
        List<Long> deliveries = new CopyOnWriteArrayList<>();
        CountDownLatch hanging = new CountDownLatch(1);
        NatsMessaging doomed = connect("doomed-instance");
        listen(doomed, spec, (event, context) -> {
            deliveries.add(context.deliveryCount());
            if (context.deliveryCount() == 1) {
                throw new IllegalStateException("provider unavailable");
            }
            hanging.countDown();
            release.await();
        });
        String eventId = UUID.randomUUID().toString();
        PublishResult original = fixture.publisher().publish(stream.subject(), eventId, new Created("c-1"));
        assertThat(hanging.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("last delivery in its handler").isTrue();

        doomed.connection().close(); // dies mid-handler: no ack, nak, term or in-progress signal from now on
        EventListener survivor = listen(fixture.nats(), spec,
                (event, context) -> deliveries.add(context.deliveryCount()));
        fixture.nats().connection().flush(Duration.ofSeconds(2)); // its advisory subscription is on the server

        Await.until("dead-lettered from the advisory", WAIT, () -> survivor.deadLettered() == 1);
        List<DeadLetter> letters = stream.deadLetters().list(10);
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.getFirst();
        assertThat(letter.reason()).isEqualTo(DeadLetter.MAX_DELIVER_UNSETTLED);
        assertThat(letter.lastError()).contains("gave up after 2 deliveries").contains("not settled");
        assertThat(letter.deliveryCount()).isEqualTo(2);
        assertThat(letter.subject()).isEqualTo(stream.deadLetters().subjectFor(stream.subject()));
        assertThat(letter.originalStream()).isEqualTo(stream.name());
        assertThat(letter.originalSequence()).isEqualTo(original.sequence());
        assertThat(letter.consumer()).isEqualTo(stream.durable());
        assertThat(letter.eventId()).isEqualTo(eventId);
        assertThat(fixture.nats().codec().decode(letter.payload().getBytes(StandardCharsets.UTF_8), Created.class))
                .isEqualTo(new Created("c-1"));
        assertThat(letter.headers()).containsEntry("Nats-Msg-Id", eventId).containsKey("traceparent");
        Headers stored = fixture.jsm().getMessage(stream.deadLetters().streamName(), letter.sequence()).getHeaders();
        assertThat(stored.getFirst("Dead-Letter-Reason")).isEqualTo("max-deliver-unsettled");
        assertThat(stored.getFirst("Dead-Letter-Deliveries")).isEqualTo("2");
        assertThat(stored.getFirst("Dead-Letter-Stream")).isEqualTo(stream.name());
        assertThat(stored.getFirst("Dead-Letter-Sequence")).isEqualTo(Long.toString(original.sequence()));
        assertThat(stored.getFirst("Dead-Letter-Consumer")).isEqualTo(stream.durable());
        assertThat(stored.getFirst("Dead-Letter-Msg-Id")).isEqualTo(eventId);
        SpanData send = fixture.telemetry().awaitSpan("send " + stream.subject(),
                span -> eventId.equals(messageId(span)));
        SpanData deadLetterSend = fixture.telemetry().awaitSpan(
                "send " + stream.deadLetters().subjectFor(stream.subject()),
                span -> (stream.durable() + ":" + stream.name() + ":" + original.sequence()).equals(messageId(span)));
        assertThat(deadLetterSend.getTraceId()).as("in the original trace").isEqualTo(send.getTraceId());

        Await.until("nothing pending", WAIT, () -> survivor.pending() == 0);
        assertThat(deliveries).as("no third delivery").containsExactly(1L, 2L);
        assertThat(survivor.lost()).isZero();
    }

    @Test
    void aMessageFailingEveryDeliveryIsDeadLetteredOnceEvenIfTheAdvisoryFollows() throws Exception {
        ConsumerSpec spec = spec(List.of(Duration.ofMillis(100)));
        EventListener listener = listen(fixture.nats(), spec, (event, context) -> {
            throw new IllegalStateException("ledger closed");
        });
        PublishResult original = fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(),
                new Created("c-2"));
        Await.until("dead-lettered by the dispatcher", WAIT, () -> listener.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).getFirst();
        assertThat(letter.reason()).isEqualTo(DeadLetter.MAX_DELIVER);

        // After the dispatcher's term nats-server sends no MAX_DELIVERIES advisory (2.9.10), but it would had the
        // term been lost after the dead letter was stored: the advisory path then stores nothing more.
        advise(spec, original.sequence(), 2);

        fixture.telemetry().awaitSpan("send " + stream.deadLetters().subjectFor(stream.subject()),
                span -> Boolean.TRUE.equals(span.getAttributes().get(DUPLICATE)));
        assertThat(stream.deadLetters().list(10)).containsExactly(letter);
        assertThat(listener.deadLettered()).isEqualTo(1);
        assertThat(listener.lost()).isZero();
    }

    @Test
    void aMessageNoLongerInTheStreamIsCountedAsLost() throws Exception {
        // The advisory is the test's own: the server must not send a real one. With a 100 ms ack wait (the first
        // backoff) a busy machine's late ack got the message delivered again and given up on by the server itself,
        // which dead-lettered it or counted it lost a second time; 30 s is beyond any ack here.
        ConsumerSpec spec = spec(List.of(Duration.ofSeconds(30)));
        EventListener listener = listen(fixture.nats(), spec, (event, context) -> { });
        PublishResult original = fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(),
                new Created("c-3"));
        Await.until("processed", WAIT, () -> listener.processed() == 1);
        Await.until("acknowledged", WAIT, () -> consumerInfo(spec).getNumAckPending() == 0);
        fixture.jsm().deleteMessage(stream.name(), original.sequence()); // as max age would

        advise(spec, original.sequence(), 2);

        Await.until("counted as lost", WAIT, () -> listener.lost() == 1);
        assertThat(stream.deadLetters().list(10)).isEmpty();
        assertThat(listener.deadLettered()).isZero();
        assertThat(listener.lost()).as("once").isEqualTo(1);
        assertThat(consumerInfo(spec).getRedelivered()).as("delivered once").isZero();
    }

    private static io.nats.client.api.ConsumerInfo consumerInfo(ConsumerSpec spec) {
        try {
            return fixture.jsm().getConsumerInfo(spec.stream(), spec.durable());
        } catch (java.io.IOException | io.nats.client.JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the advisory as nats-server 2.9.10 does for a message it gave up on. */
    private void advise(ConsumerSpec spec, long sequence, long deliveries) throws Exception {
        String json = "{\"type\":\"io.nats.jetstream.advisory.v1.max_deliver\",\"id\":\"test\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"stream\":\"" + stream.name()
                + "\",\"consumer\":\"" + stream.durable()
                + "\",\"stream_seq\":" + sequence + ",\"deliveries\":" + deliveries + "}";
        fixture.nats().connection().publish(MaxDeliveriesAdvisories.subject(spec),
                json.getBytes(StandardCharsets.UTF_8));
        fixture.nats().connection().flush(Duration.ofSeconds(2));
    }

    /** Two deliveries, {@code backoff} between them (and as the server's ack wait). */
    private ConsumerSpec spec(List<Duration> backoff) {
        return new ConsumerSpec(stream.name(), stream.durable(), stream.subject(), Duration.ofSeconds(1), 2,
                backoff, 16);
    }

    private NatsMessaging connect(String name) {
        NatsMessaging connection = fixture.connect(name);
        closeables.add(connection);
        return connection;
    }

    private EventListener listen(NatsMessaging on, ConsumerSpec spec, EventHandler<Created> handler) {
        EventListener listener = EventListener.builder(on, spec, stream.deadLetters())
                .on(stream.subject(), Created.class, handler)
                .start();
        closeables.add(listener);
        return listener;
    }

    private static String messageId(SpanData span) {
        return span.getAttributes().get(MESSAGE_ID);
    }
}
