package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingTelemetry;
import dev.bazaar.messaging.events.JetStreamFixture.TestStream;
import dev.bazaar.messaging.outbox.MessagingSchema;
import dev.bazaar.messaging.outbox.ProcessedEvents;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestDatabase;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bazaar.messaging.MessagingTelemetry.CONSUMER_GROUP;
import static dev.bazaar.messaging.MessagingTelemetry.DELIVERY_COUNT;
import static dev.bazaar.messaging.MessagingTelemetry.DESTINATION;
import static dev.bazaar.messaging.MessagingTelemetry.MESSAGE_ID;
import static dev.bazaar.messaging.MessagingTelemetry.OPERATION_NAME;
import static dev.bazaar.messaging.MessagingTelemetry.OPERATION_TYPE;
import static dev.bazaar.messaging.MessagingTelemetry.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

class EventListenerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A 1 s duplicate window so that replays need not wait two minutes. */
    private static final StreamSettings SETTINGS =
            new StreamSettings(StorageType.File, 1, Duration.ofHours(1), Duration.ofSeconds(1));

    record PaymentRequested(String orderId, long amountCents) {
    }

    private static JetStreamFixture fixture;

    private final List<EventListener> listeners = new ArrayList<>();
    private TestStream stream;

    @BeforeAll
    static void startNats() {
        fixture = JetStreamFixture.start("listener-it");
    }

    @AfterAll
    static void stopNats() {
        fixture.close();
    }

    @BeforeEach
    void freshStreamAndDeadLetters() {
        stream = fixture.freshStream("pay", "payment-requested", "payments", SETTINGS);
    }

    @AfterEach
    void closeListeners() {
        listeners.forEach(EventListener::close);
    }

    @Test
    void theConsumerIsDeclaredFromTheSpecAndUpdatedIdempotently() throws Exception {
        EventListener first = start(spec(16), (event, context) -> { });
        Await.until("bound", WAIT, first::isBound);
        ConsumerInfo created = fixture.jsm().getConsumerInfo(stream.name(), stream.durable());
        ConsumerConfiguration config = created.getConsumerConfiguration();
        assertThat(config.getDurable()).isEqualTo(stream.durable());
        assertThat(config.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
        assertThat(config.getDeliverPolicy()).isEqualTo(DeliverPolicy.All);
        assertThat(config.getFilterSubject()).isEqualTo(filter());
        assertThat(config.getMaxDeliver()).isEqualTo(3);
        assertThat(config.getBackoff()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(config.getMaxAckPending()).isEqualTo(16);
        first.close();

        EventListener again = start(spec(8), (event, context) -> { });
        Await.until("bound again", WAIT, again::isBound);

        ConsumerInfo updated = fixture.jsm().getConsumerInfo(stream.name(), stream.durable());
        assertThat(updated.getConsumerConfiguration().getMaxAckPending()).isEqualTo(8);
        assertThat(updated.getCreationTime()).isEqualTo(created.getCreationTime());
    }

    @Test
    void aHandledEventIsAcknowledged() {
        List<PaymentRequested> seen = new CopyOnWriteArrayList<>();
        List<EventContext> contexts = new CopyOnWriteArrayList<>();
        EventListener listener = start(spec(16), (event, context) -> {
            seen.add(event);
            contexts.add(context);
        });
        String eventId = UUID.randomUUID().toString();

        PublishResult published = fixture.publisher().publish(stream.subject(), eventId,
                new PaymentRequested("o-1", 1250));

        Await.until("processed", WAIT, () -> listener.processed() == 1);
        assertThat(seen).containsExactly(new PaymentRequested("o-1", 1250));
        EventContext context = contexts.get(0);
        assertThat(context.eventId()).isEqualTo(eventId);
        assertThat(context.subject()).isEqualTo(stream.subject());
        assertThat(context.stream()).isEqualTo(stream.name());
        assertThat(context.streamSequence()).isEqualTo(published.sequence());
        assertThat(context.deliveryCount()).isEqualTo(1);
        assertThat(context.headers()).containsEntry("Nats-Msg-Id", eventId).containsKey("traceparent");
        Await.until("nothing pending", WAIT, () -> listener.pending() == 0);
        assertThat(listener.redelivered()).isZero();
        assertThat(listener.deadLettered()).isZero();
    }

    @Test
    void aFailingHandlerIsRetriedWithBackoffUntilItSucceeds() {
        List<Long> deliveries = new CopyOnWriteArrayList<>();
        List<Long> at = new CopyOnWriteArrayList<>();
        EventListener listener = start(spec(16), (event, context) -> {
            deliveries.add(context.deliveryCount());
            at.add(System.nanoTime());
            if (context.deliveryCount() < 3) {
                throw new IllegalStateException("payment provider unavailable");
            }
        });

        fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(), new PaymentRequested("o-2", 99));

        Await.until("processed on the third delivery", WAIT, () -> listener.processed() == 1);
        assertThat(deliveries).containsExactly(1L, 2L, 3L);
        assertThat(listener.redelivered()).isEqualTo(2);
        assertThat(listener.deadLettered()).isZero();
        // nak'ed with backoff[0] = 100 ms, then backoff[1] = 200 ms
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(90));
        assertThat(Duration.ofNanos(at.get(2) - at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aMessageFailingEveryDeliveryIsDeadLetteredWithItsHeadersAndTrace() throws Exception {
        EventListener listener = start(spec(16), (event, context) -> {
            throw new IllegalStateException("ledger\nclosed");
        });
        String eventId = UUID.randomUUID().toString();

        PublishResult original = fixture.publisher().publish(stream.subject(), eventId, new PaymentRequested("o-3", 5));

        Await.until("dead-lettered", WAIT, () -> listener.deadLettered() == 1);
        List<DeadLetter> letters = stream.deadLetters().list(10);
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.reason()).isEqualTo(DeadLetter.MAX_DELIVER);
        assertThat(letter.lastError()).isEqualTo("java.lang.IllegalStateException: ledger closed");
        assertThat(letter.deliveryCount()).isEqualTo(3);
        assertThat(letter.originalSubject()).isEqualTo(stream.subject());
        assertThat(letter.subject()).isEqualTo(stream.deadLetters().subjectFor(stream.subject()));
        assertThat(letter.originalStream()).isEqualTo(stream.name());
        assertThat(letter.originalSequence()).isEqualTo(original.sequence());
        assertThat(letter.eventId()).isEqualTo(eventId);
        assertThat(letter.consumer()).isEqualTo(stream.durable());
        assertThat(letter.deadAt()).isNotNull();
        assertThat(fixture.nats().codec().decode(letter.payload().getBytes(StandardCharsets.UTF_8),
                PaymentRequested.class))
                .isEqualTo(new PaymentRequested("o-3", 5));
        assertThat(letter.headers()).containsEntry("Nats-Msg-Id", eventId).containsKey("traceparent")
                .doesNotContainKey("Dead-Letter-Reason");
        Headers stored = fixture.jsm().getMessage(stream.deadLetters().streamName(), letter.sequence()).getHeaders();
        assertThat(stored.getFirst("Dead-Letter-Reason")).isEqualTo("max-deliver");
        assertThat(stored.getFirst("Dead-Letter-Error")).startsWith("java.lang.IllegalStateException");
        assertThat(stored.getFirst("Dead-Letter-Deliveries")).isEqualTo("3");
        assertThat(stored.getFirst("Dead-Letter-Stream")).isEqualTo(stream.name());
        assertThat(stored.getFirst("Dead-Letter-Sequence")).isEqualTo(Long.toString(original.sequence()));
        assertThat(stored.getFirst("Dead-Letter-Consumer")).isEqualTo(stream.durable());
        assertThat(stream.deadLetters().get(letter.sequence())).contains(letter);

        SpanData send = fixture.telemetry().awaitSpan("send " + stream.subject());
        SpanData deadLetterSend =
                fixture.telemetry().awaitSpan("send " + stream.deadLetters().subjectFor(stream.subject()));
        assertThat(deadLetterSend.getTraceId()).isEqualTo(send.getTraceId());
        assertThat(deadLetterSend.getLinks()).extracting(LinkData::getSpanContext)
                .anySatisfy(link -> assertThat(link.getSpanId()).isEqualTo(send.getSpanId()));
        SpanData lastProcess = fixture.telemetry().awaitSpan("process " + stream.subject(),
                span -> Long.valueOf(3).equals(span.getAttributes().get(DELIVERY_COUNT)));
        assertThat(deadLetterSend.getParentSpanId()).isEqualTo(lastProcess.getSpanId());
        Await.until("settled", WAIT, () -> listener.pending() == 0);
    }

    @Test
    void aPoisonEventIsDeadLetteredAtOnce() {
        EventListener listener = start(spec(16), (event, context) -> {
            throw new PoisonEventException("order " + event.orderId() + " does not exist");
        });

        fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(), new PaymentRequested("ghost", 1));

        Await.until("dead-lettered", WAIT, () -> listener.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).get(0);
        assertThat(letter.reason()).isEqualTo(DeadLetter.POISON);
        assertThat(letter.deliveryCount()).isEqualTo(1);
        assertThat(letter.lastError()).contains("PoisonEventException").contains("order ghost does not exist");
        assertThat(listener.redelivered()).isZero();
    }

    @Test
    void anUndecodablePayloadIsDeadLetteredAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        EventListener listener = start(spec(16), (event, context) -> calls.incrementAndGet());

        fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(),
                "{not json".getBytes(StandardCharsets.UTF_8), Context.current());

        Await.until("dead-lettered", WAIT, () -> listener.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).get(0);
        assertThat(letter.reason()).isEqualTo(DeadLetter.POISON);
        assertThat(letter.lastError()).contains("MalformedMessageException").contains("not valid JSON");
        assertThat(letter.payload()).isEqualTo("{not json");
        assertThat(calls).hasValue(0);
    }

    @Test
    void aDeadLetterIsReprocessedLocallyAsTheOriginalEventAndRemoved() {
        AtomicBoolean broken = new AtomicBoolean(true);
        List<EventContext> handled = new CopyOnWriteArrayList<>();
        List<PaymentRequested> events = new CopyOnWriteArrayList<>();
        EventListener listener = start(spec(16), (event, context) -> {
            if (broken.get()) {
                throw new IllegalStateException("ledger offline");
            }
            events.add(event);
            handled.add(context);
        });
        String eventId = UUID.randomUUID().toString();
        PublishResult original = fixture.publisher().publish(stream.subject(), eventId,
                new PaymentRequested("o-replay", 7));
        Await.until("dead-lettered", WAIT, () -> listener.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).get(0);
        broken.set(false);

        ReplayResult result = listener.reprocess(letter);

        assertThat(result.replayed()).as(result.detail()).isTrue();
        assertThat(result.sequence()).isEqualTo(letter.sequence());
        assertThat(result.detail()).contains(stream.durable()).contains(eventId)
                .contains(stream.deadLetters().streamName());
        assertThat(events).containsExactly(new PaymentRequested("o-replay", 7));
        EventContext context = handled.get(0);
        assertThat(context.eventId()).isEqualTo(eventId);
        assertThat(context.subject()).isEqualTo(stream.subject());
        assertThat(context.stream()).isEqualTo(stream.name());
        assertThat(context.streamSequence()).isEqualTo(original.sequence());
        assertThat(context.deliveryCount()).isEqualTo(1);
        assertThat(context.headers()).containsEntry("Nats-Msg-Id", eventId).containsKey("traceparent")
                .doesNotContainKey("Dead-Letter-Consumer");
        assertThat(listener.replayed()).isEqualTo(1);
        assertThat(stream.deadLetters().list(10)).isEmpty();
        assertThat(stream.deadLetters().get(letter.sequence())).isEmpty();
        assertThat(stream.deadLetters().delete(letter.sequence())).isFalse();

        // The CONSUMER span of the replay continues the original trace and links to the producer, like a delivery.
        SpanData send = fixture.telemetry().awaitSpan("send " + stream.subject(),
                span -> eventId.equals(span.getAttributes().get(MESSAGE_ID)));
        SpanData replay = fixture.telemetry().awaitSpan("process " + stream.subject(),
                span -> eventId.equals(span.getAttributes().get(MESSAGE_ID))
                && span.getStatus().getStatusCode() != io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(replay.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(replay.getTraceId()).isEqualTo(send.getTraceId());
        assertThat(replay.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(replay.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(send.getSpanId());
        assertThat(replay.getAttributes().get(CONSUMER_GROUP)).isEqualTo(stream.durable());
        assertThat(replay.getAttributes().get(DELIVERY_COUNT)).isEqualTo(1L);
    }

    @Test
    void aDeadLetterThatFailsAgainOnReplayIsKeptWithTheError() {
        EventListener listener = start(spec(16), (event, context) -> {
            throw new PoisonEventException("order " + event.orderId() + " does not exist");
        });
        fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(), new PaymentRequested("ghost", 1));
        Await.until("dead-lettered", WAIT, () -> listener.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).get(0);

        ReplayResult result = listener.reprocess(letter);

        assertThat(result.replayed()).isFalse();
        assertThat(result.detail()).contains(stream.durable()).contains(PoisonEventException.class.getName())
                .contains("order ghost does not exist").endsWith("kept");
        assertThat(stream.deadLetters().get(letter.sequence())).contains(letter);
        assertThat(listener.replayed()).isZero();
    }

    @Test
    void anUndecodableDeadLetterStaysPoison() {
        AtomicInteger calls = new AtomicInteger();
        EventListener listener = start(spec(16), (event, context) -> calls.incrementAndGet());
        fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(),
                "{not json".getBytes(StandardCharsets.UTF_8), Context.current());
        Await.until("dead-lettered", WAIT, () -> listener.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).get(0);

        ReplayResult result = listener.reprocess(letter);

        assertThat(result.replayed()).isFalse();
        assertThat(result.detail()).contains("MalformedMessageException");
        assertThat(calls).hasValue(0);
        assertThat(stream.deadLetters().get(letter.sequence())).isPresent();
    }

    @Test
    void aDeadLetterOfAnotherConsumerIsRefused() {
        EventListener failing = start(spec(16), (event, context) -> {
            throw new PoisonEventException("no");
        });
        fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(), new PaymentRequested("o-other", 2));
        Await.until("dead-lettered", WAIT, () -> failing.deadLettered() == 1);
        DeadLetter letter = stream.deadLetters().list(10).get(0);
        ConsumerSpec other = new ConsumerSpec(stream.name(), stream.durable() + "-other", filter(),
                Duration.ofSeconds(1), 3, List.of(Duration.ofMillis(100), Duration.ofMillis(200)), 16);
        EventListener otherListener = start(other, (event, context) -> { });

        ReplayResult result = otherListener.reprocess(letter);

        assertThat(result.replayed()).isFalse();
        assertThat(result.detail()).contains("consumer " + stream.durable())
                .contains("not by " + stream.durable() + "-other");
        assertThat(stream.deadLetters().get(letter.sequence())).isPresent();
    }

    @Test
    void aRestartedConsumerResumesWithoutLoss() {
        int events = 30;
        for (int i = 0; i < events; i++) {
            fixture.publisher().publish(stream.subject(), "e-" + i, new PaymentRequested("o-" + i, i));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Semaphore gate = new Semaphore(5);
        EventListener first = start(spec(1), (event, context) -> {
            if (!gate.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("paused"); // retried later, by whoever consumes then
            }
            seen.add(context.eventId());
        });
        Await.until("five processed", WAIT, () -> first.processed() == 5);
        first.close();
        assertThat(seen).hasSize(5);

        EventListener second = start(spec(1), (event, context) -> seen.add(context.eventId()));

        Await.until("all processed", WAIT, () -> seen.size() == events);
        Await.until("nothing pending", WAIT, () -> second.pending() == 0);
        assertThat(first.deadLettered() + second.deadLettered()).isZero();
    }

    @Test
    void atMostMaxAckPendingHandlersRunAtOnceAndSlowOnesAreNotRedelivered() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        EventListener listener = start(spec(2), (event, context) -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                work(Duration.ofMillis(300)); // three times the server's 100 ms ack wait (backoff[0])
            } finally {
                running.decrementAndGet();
            }
        });

        for (int i = 0; i < 6; i++) {
            fixture.publisher().publish(stream.subject(), UUID.randomUUID().toString(),
                    new PaymentRequested("o-" + i, i));
        }

        Await.until("all processed", WAIT, () -> listener.processed() == 6);
        assertThat(peak).hasValue(2);
        // In-progress signals kept the slow handlers' messages from being redelivered.
        assertThat(listener.redelivered()).isZero();
        assertThat(fixture.jsm().getConsumerInfo(stream.name(), stream.durable()).getRedelivered()).isZero();
    }

    @Test
    void theGuardMakesRedeliveriesAndDuplicatePublishesHarmless() {
        try (TestDatabase database = TestDatabase.create("listener_guard")) {
            Jdbi jdbi = MessagingSchema.migrate(database);
            jdbi.useHandle(handle -> handle.execute("CREATE TABLE payments (order_id TEXT NOT NULL)"));
            EventListener listener = start(spec(16), (event, context) -> {
                jdbi.useTransaction(handle -> {
                    if (ProcessedEvents.firstTime(handle, stream.durable(), context.eventId())) {
                        handle.createUpdate("INSERT INTO payments (order_id) VALUES (:id)")
                                .bind("id", event.orderId()).execute();
                    }
                });
                if (context.deliveryCount() == 1) {
                    throw new IllegalStateException("the ack got lost"); // committed, yet redelivered
                }
            });
            String eventId = UUID.randomUUID().toString();

            fixture.publisher().publish(stream.subject(), eventId, new PaymentRequested("o-once", 10));
            Await.until("redelivered and acknowledged", WAIT, () -> listener.processed() == 1);
            // Published again after the duplicate window (a relay that lost its mark much later).
            Await.until("published again", WAIT, () -> !fixture.publisher()
                    .publish(stream.subject(), eventId, new PaymentRequested("o-once", 10)).duplicate());
            Await.until("processed again", WAIT, () -> listener.processed() == 2);

            int payments = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM payments")
                    .mapTo(Integer.class).one());
            assertThat(payments).isEqualTo(1);
        }
    }

    @Test
    @SuppressWarnings("try") // the scope only makes the span current
    void theConsumerSpanIsAChildOfTheProducerAndLinkedToIt() {
        EventListener listener = start(spec(16), (event, context) -> { });
        String eventId = UUID.randomUUID().toString();
        Span request = fixture.telemetry().openTelemetry().getTracer("test").spanBuilder("POST /orders").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            fixture.publisher().publish(stream.subject(), eventId, new PaymentRequested("o-traced", 3));
        } finally {
            request.end();
        }

        Await.until("processed", WAIT, () -> listener.processed() == 1);
        SpanData send = fixture.telemetry().awaitSpan("send " + stream.subject(),
                span -> eventId.equals(span.getAttributes().get(MESSAGE_ID)));
        SpanData process = fixture.telemetry().awaitSpan("process " + stream.subject(),
                span -> eventId.equals(span.getAttributes().get(MESSAGE_ID)));
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(send.getAttributes().get(OPERATION_NAME)).isEqualTo("send");
        assertThat(send.getAttributes().get(OPERATION_TYPE)).isEqualTo("send");
        assertThat(send.getAttributes().get(DESTINATION)).isEqualTo(stream.subject());
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(send.getSpanId());
        assertThat(process.getAttributes().get(SYSTEM)).isEqualTo("nats");
        assertThat(process.getAttributes().get(DESTINATION)).isEqualTo(stream.subject());
        assertThat(process.getAttributes().get(OPERATION_NAME)).isEqualTo("process");
        assertThat(process.getAttributes().get(OPERATION_TYPE)).isEqualTo("process");
        assertThat(process.getAttributes().get(CONSUMER_GROUP)).isEqualTo(stream.durable());
        assertThat(process.getAttributes().get(DELIVERY_COUNT)).isEqualTo(1L);
        assertThat(process.getAttributes().get(MessagingTelemetry.MESSAGE_ID)).isEqualTo(eventId);
    }

    @Test
    void eventsWithoutAHandlerAreAcknowledgedAndIgnored() {
        EventListener listener = start(spec(16), (event, context) -> { });
        String other = stream.subject().replace("payment-requested", "refund-requested");

        fixture.publisher().publish(other, UUID.randomUUID().toString(), new PaymentRequested("o-x", 1));

        Await.until("ignored", WAIT, () -> listener.ignored() == 1);
        Await.until("acknowledged", WAIT, () -> listener.pending() == 0);
        assertThat(listener.processed()).isZero();
    }

    @Test
    void aListenerBindsOnceItsStreamAppears() throws Exception {
        String late = JetStreamFixture.unique("LATE");
        String lateSubject = late.toLowerCase() + ".events.created";
        ConsumerSpec spec = new ConsumerSpec(late, stream.durable(), late.toLowerCase() + ".events.>",
                Duration.ofSeconds(1), 3, List.of(Duration.ofMillis(100), Duration.ofMillis(200)), 16);
        AtomicInteger calls = new AtomicInteger();
        EventListener listener = EventListener.builder(fixture.nats(), spec, stream.deadLetters())
                .on(lateSubject, PaymentRequested.class, (event, context) -> calls.incrementAndGet())
                .start();
        listeners.add(listener);
        assertThat(listener.isBound()).isFalse();
        assertThat(listener.pending()).isEqualTo(-1);

        Streams.ensure(fixture.nats(), new StreamSpec(late, List.of(late.toLowerCase() + ".events.>")), SETTINGS);

        Await.until("bound", WAIT, listener::isBound);
        fixture.publisher().publish(lateSubject, UUID.randomUUID().toString(), new PaymentRequested("o-late", 1));
        Await.until("processed", WAIT, () -> calls.get() == 1);
    }

    /** Stands for a handler's slow work. */
    private static void work(Duration duration) throws InterruptedException {
        new CountDownLatch(1).await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String filter() {
        return stream.subject().substring(0, stream.subject().indexOf(".events.")) + ".events.>";
    }

    /** Fast retries: backoff 100 ms then 200 ms, 3 deliveries. */
    private ConsumerSpec spec(int maxAckPending) {
        return new ConsumerSpec(stream.name(), stream.durable(), filter(), Duration.ofSeconds(1), 3,
                List.of(Duration.ofMillis(100), Duration.ofMillis(200)), maxAckPending);
    }

    private EventListener start(ConsumerSpec spec, EventHandler<PaymentRequested> handler) {
        EventListener listener = EventListener.builder(fixture.nats(), spec, stream.deadLetters())
                .on(stream.subject(), PaymentRequested.class, handler)
                .start();
        listeners.add(listener);
        return listener;
    }
}
