package dev.bazaar.messaging;

import dev.bazaar.messaging.Fixtures.Greet;
import dev.bazaar.messaging.Fixtures.Greeting;
import dev.bazaar.testing.TestNatsServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.bazaar.messaging.MessagingTelemetry.BODY_SIZE;
import static dev.bazaar.messaging.MessagingTelemetry.CONSUMER_GROUP;
import static dev.bazaar.messaging.MessagingTelemetry.DESTINATION;
import static dev.bazaar.messaging.MessagingTelemetry.ERROR_TYPE;
import static dev.bazaar.messaging.MessagingTelemetry.OPERATION_NAME;
import static dev.bazaar.messaging.MessagingTelemetry.OPERATION_TYPE;
import static dev.bazaar.messaging.MessagingTelemetry.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracePropagationIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static TestNatsServer server;
    private static TestTelemetry telemetry;
    private static NatsMessaging front;
    private static NatsMessaging back;
    private static NatsMessaging client;

    @BeforeAll
    static void start() {
        server = TestNatsServer.start();
        telemetry = new TestTelemetry();
        back = connect("back");
        front = connect("front");
        client = connect("client");
        back.service("back", "1.0.0", "end of the chain")
                .errorMapper(error -> error instanceof NotHere ? new ServiceError(404, error.getMessage()) : null)
                .endpoint("back.get", Greet.class, Greeting.class, (request, context) -> new Greeting("back " + request.name(), Instant.EPOCH))
                .endpoint("back.missing", Greet.class, Greeting.class, (request, context) -> {
                    throw new NotHere("nothing here");
                })
                .endpoint("back.boom", Greet.class, Greeting.class, (request, context) -> {
                    throw new IllegalStateException("broken");
                })
                .start();
        // A handler that makes its own request: the trace must flow through it.
        front.service("front", "1.0.0", "calls back")
                .endpoint("front.get", Greet.class, Greeting.class, (request, context) ->
                        front.requests().request("back.get", request, Greeting.class, TIMEOUT))
                .start();
    }

    @AfterAll
    static void stop() {
        client.close();
        front.close();
        back.close();
        server.close();
        telemetry.close();
    }

    @BeforeEach
    void resetSpans() {
        telemetry.reset();
    }

    @Test
    void clientAndServerSpansShareOneTrace() {
        client.requests().request("back.get", new Greet("x"), Greeting.class, TIMEOUT);

        SpanData clientSpan = telemetry.awaitSpan("request back.get");
        SpanData serverSpan = telemetry.awaitSpan("process back.get");
        assertThat(clientSpan.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(serverSpan.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(serverSpan.getTraceId()).isEqualTo(clientSpan.getTraceId());
        assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());

        assertThat(clientSpan.getAttributes().get(SYSTEM)).isEqualTo("nats");
        assertThat(clientSpan.getAttributes().get(DESTINATION)).isEqualTo("back.get");
        assertThat(clientSpan.getAttributes().get(OPERATION_NAME)).isEqualTo("request");
        assertThat(clientSpan.getAttributes().get(OPERATION_TYPE)).isEqualTo("send");
        assertThat(clientSpan.getAttributes().get(BODY_SIZE)).isPositive();
        assertThat(serverSpan.getAttributes().get(SYSTEM)).isEqualTo("nats");
        assertThat(serverSpan.getAttributes().get(DESTINATION)).isEqualTo("back.get");
        assertThat(serverSpan.getAttributes().get(OPERATION_NAME)).isEqualTo("process");
        assertThat(serverSpan.getAttributes().get(CONSUMER_GROUP)).isEqualTo("back");
        assertThat(serverSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void traceFlowsThroughAHandlerThatMakesItsOwnRequest() {
        client.requests().request("front.get", new Greet("x"), Greeting.class, TIMEOUT);

        SpanData outer = telemetry.awaitSpan("request front.get");
        SpanData frontServer = telemetry.awaitSpan("process front.get");
        SpanData nested = telemetry.awaitSpan("request back.get");
        SpanData backServer = telemetry.awaitSpan("process back.get");
        assertThat(frontServer.getParentSpanId()).isEqualTo(outer.getSpanId());
        assertThat(nested.getParentSpanId()).isEqualTo(frontServer.getSpanId());
        assertThat(backServer.getParentSpanId()).isEqualTo(nested.getSpanId());
        assertThat(backServer.getTraceId()).isEqualTo(outer.getTraceId());
    }

    @Test
    void callerErrorsAreTaggedButOnlyServerFaultsAreErrors() {
        assertThatThrownBy(() -> client.requests().request("back.missing", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOf(RemoteErrorException.class);
        assertThatThrownBy(() -> client.requests().request("back.boom", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOf(RemoteErrorException.class);

        SpanData missing = telemetry.awaitSpan("process back.missing");
        assertThat(missing.getAttributes().get(ERROR_TYPE)).isEqualTo("404");
        assertThat(missing.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        SpanData boom = telemetry.awaitSpan("process back.boom");
        assertThat(boom.getAttributes().get(ERROR_TYPE)).isEqualTo("500");
        assertThat(boom.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(boom.getEvents()).extracting(event -> event.getName()).contains("exception");
        SpanData clientSide = telemetry.awaitSpan("request back.boom");
        assertThat(clientSide.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(clientSide.getAttributes().get(ERROR_TYPE)).isEqualTo("RemoteErrorException");
    }

    @Test
    void noRespondersMarksTheClientSpan() {
        assertThatThrownBy(() -> client.requests().request("nobody.home", new Greet("x"), Greeting.class, TIMEOUT))
                .isInstanceOf(NoRespondersException.class);

        SpanData span = telemetry.awaitSpan("request nobody.home");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("NoRespondersException");
    }

    private static NatsMessaging connect(String name) {
        return NatsMessaging.connect(Fixtures.settings(server, name), telemetry.openTelemetry(), JsonCodec.standard());
    }
}
