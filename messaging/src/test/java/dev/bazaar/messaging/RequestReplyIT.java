package dev.bazaar.messaging;

import dev.bazaar.messaging.Fixtures.Greet;
import dev.bazaar.messaging.Fixtures.Greeting;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.Message;
import io.nats.service.ServiceMessage;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestReplyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_PAYLOAD = 1024;

    record Count(int text) {
    }

    static final class OutOfStock extends RuntimeException {
        OutOfStock(String sku) {
            super("out of stock: " + sku);
        }
    }

    private static final CountDownLatch releaseSlow = new CountDownLatch(1);
    private static final java.util.Set<String> firstLost = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicInteger slowishDeliveries =
            new java.util.concurrent.atomic.AtomicInteger();
    private static TestNatsServer server;
    private static NatsMessaging service;
    private static NatsMessaging client;

    @BeforeAll
    static void start() {
        server = TestNatsServer.start();
        service = NatsMessaging.connect(Fixtures.settings(server.url(), "echo-service", MAX_PAYLOAD),
                OpenTelemetry.noop(), JsonCodec.standard());
        client = NatsMessaging.connect(Fixtures.settings(server, "echo-client"), OpenTelemetry.noop(),
                JsonCodec.standard());
        service.service("echo", "1.0.0", "echoes for tests")
                .errorMapper(error -> error instanceof OutOfStock ? new ServiceError(409, error.getMessage())
                        : error instanceof NotHere ? new ServiceError(404, error.getMessage()) : null)
                .endpoint("echo.greet", Greet.class, Greeting.class, (request, context) ->
                        new Greeting("hello " + request.name(), Instant.parse("2026-01-02T03:04:05Z")))
                .endpoint("echo.v2.greet", Greet.class, Greeting.class, (request, context) -> new Greeting("v2 " + request.name(), Instant.EPOCH))
                .endpoint("echo.slow", Greet.class, Greeting.class, (request, context) -> {
                    await(releaseSlow);
                    return new Greeting("late", Instant.now());
                })
                .endpoint("echo.first-lost", Greet.class, Greeting.class, (request, context) -> {
                    if (firstLost.add(request.name())) {
                        await(releaseSlow); // as lost: this delivery never answers in time
                    }
                    return new Greeting("again " + request.name(), Instant.EPOCH);
                })
                .endpoint("echo.slowish", Greet.class, Greeting.class, (request, context) -> {
                    // Every delivery takes 70% of the timeout: only the first one's reply can come in time.
                    int delivery = slowishDeliveries.incrementAndGet();
                    sleep(TIMEOUT.toMillis() * 7 / 10);
                    return new Greeting("delivery " + delivery, Instant.EPOCH);
                })
                .endpoint("echo.missing", Greet.class, Greeting.class, (request, context) -> {
                    throw new NotHere("x");
                })
                .endpoint("echo.boom", Greet.class, Greeting.class, (request, context) -> {
                    throw new IllegalStateException("password=hunter2 at jdbc:postgresql://db");
                })
                .endpoint("echo.reserve", Greet.class, Greeting.class, (request, context) -> {
                    throw new OutOfStock(request.name());
                })
                .endpoint("echo.context", Greet.class, Greeting.class, (request, context) ->
                        new Greeting(context.subject() + " " + context.header("X-Tenant") + " "
                                + Thread.currentThread().isVirtual(), Instant.EPOCH))
                .start();
    }

    @AfterAll
    static void stop() {
        releaseSlow.countDown();
        client.close();
        service.close();
        server.close();
    }

    @Test
    void roundTripsARecord() {
        Greeting reply = client.requests().request("echo.greet", new Greet("ada"), Greeting.class, TIMEOUT);

        assertThat(reply).isEqualTo(new Greeting("hello ada", Instant.parse("2026-01-02T03:04:05Z")));
    }

    @Test
    void subjectWithMoreTokensWorks() {
        assertThat(client.requests().request("echo.v2.greet", new Greet("ada"), Greeting.class, TIMEOUT).text())
                .isEqualTo("v2 ada");
    }

    @Test
    void slowHandlerTimesOutWithoutBlockingOthers() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.requests().request("echo.slow", new Greet("x"), Greeting.class,
                Duration.ofMillis(300)))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("echo.slow");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        // The slow handler still blocks its virtual thread; the dispatcher is free for others.
        assertThat(client.requests().request("echo.greet", new Greet("bob"), Greeting.class, TIMEOUT).text())
                .isEqualTo("hello bob");
    }

    @Test
    void anIdempotentRequestWithoutReplyInHalfItsTimeIsSentOnceAgain() {
        long start = System.nanoTime();

        Greeting reply = client.requests().requestIdempotent("echo.first-lost", new Greet("lost"), Map.of(),
                Greeting.class, TIMEOUT);

        assertThat(reply.text()).isEqualTo("again lost");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.dividedBy(2))
                .isLessThan(TIMEOUT);
        // Not idempotent: never sent twice, so the lost delivery is a timeout.
        assertThatThrownBy(() -> client.requests().request("echo.first-lost", new Greet("once"), Greeting.class,
                TIMEOUT)).isInstanceOf(RequestTimeoutException.class);
    }

    @Test
    void aSlowReplyStillCountsAfterTheRequestWentOnceAgain() {
        Greeting reply = client.requests().requestIdempotent("echo.slowish", new Greet("x"), Map.of(),
                Greeting.class, TIMEOUT);

        // Sent again at half the timeout, but the first delivery's reply (due at 70%) is the one taken.
        assertThat(reply.text()).isEqualTo("delivery 1");
        assertThat(slowishDeliveries.get()).isEqualTo(2);
    }

    @Test
    void noRespondersIsReportedAtOnce() {
        Duration timeout = Duration.ofSeconds(4);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.requests().request("nobody.home", new Greet("x"), Greeting.class, timeout))
                .isInstanceOf(NoRespondersException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.dividedBy(2));
    }

    @Test
    void serviceErrorBecomesRemoteError() {
        assertThatThrownBy(() -> client.requests().request("echo.missing", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(404);
                    assertThat(e.errorMessage()).isEqualTo("x");
                });
    }

    @Test
    void unexpectedFailureIsAnInternalErrorWithoutDetails() {
        assertThatThrownBy(() -> client.requests().request("echo.boom", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.errorMessage()).isEqualTo("internal error");
                    assertThat(e.getMessage()).doesNotContain("hunter2", "IllegalState", "postgresql");
                });
    }

    @Test
    void errorMapperTranslatesDomainExceptions() {
        assertThatThrownBy(() -> client.requests().request("echo.reserve", new Greet("sku-9"), Greeting.class, TIMEOUT))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.errorMessage()).isEqualTo("out of stock: sku-9");
                });
    }

    @Test
    void malformedRawRequestGetsA400AndTheServiceKeepsServing() throws InterruptedException {
        Message reply = client.connection().request("echo.greet", "{not json".getBytes(StandardCharsets.UTF_8), TIMEOUT);

        assertThat(reply).as("an error reply, not a timeout").isNotNull();
        assertThat(reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR_CODE)).isEqualTo("400");
        assertThat(reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR)).startsWith("malformed request: ");

        assertThat(client.requests().request("echo.greet", new Greet("again"), Greeting.class, TIMEOUT).text())
                .isEqualTo("hello again");
    }

    @Test
    void oversizePayloadGetsA413() {
        Greet huge = new Greet("x".repeat(MAX_PAYLOAD * 2));

        assertThatThrownBy(() -> client.requests().request("echo.greet", huge, Greeting.class, TIMEOUT))
                .isInstanceOfSatisfying(RemoteErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(413);
                    assertThat(e.errorMessage()).isEqualTo("payload too large");
                });
    }

    @Test
    void undecodableReplyIsMalformed() {
        assertThatThrownBy(() -> client.requests().request("echo.greet", new Greet("x"), Count.class, TIMEOUT))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("'text'");
    }

    @Test
    void handlerSeesSubjectAndHeadersOnAVirtualThread() {
        Greeting reply = client.requests().request("echo.context", new Greet("x"), Map.of("X-Tenant", "acme"),
                Greeting.class, TIMEOUT);

        assertThat(reply.text()).isEqualTo("echo.context acme true");
    }

    @Test
    void subjectOutsideTheServiceIsRefused() {
        assertThatThrownBy(() -> service.service("echo", "1.0.0", "x")
                .endpoint("other.greet", Greet.class, Greet.class, (request, context) -> request))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("echo.");
    }

    @Test
    void requestOnAClosedConnectionIsAMessagingException() {
        NatsMessaging closed = NatsMessaging.connect(Fixtures.settings(server, "closed"), OpenTelemetry.noop(),
                JsonCodec.standard());
        closed.close();

        assertThatThrownBy(() -> closed.requests().request("echo.greet", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOf(MessagingException.class);
        assertThat(closed.isConnected()).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
