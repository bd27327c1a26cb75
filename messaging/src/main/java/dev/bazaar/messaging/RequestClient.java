package dev.bazaar.messaging;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.support.Status;
import io.nats.service.ServiceMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Typed request-reply: encodes the payload as JSON, carries the trace context in headers, waits for the reply and
 * turns every outcome into a value or one distinct {@link MessagingException}. Blocking; call it from a virtual
 * thread.
 */
public final class RequestClient {
    private final Connection connection;
    private final JsonCodec codec;
    private final MessagingTelemetry telemetry;
    private volatile RequestObserver observer = RequestObserver.NONE;

    RequestClient(Connection connection, JsonCodec codec, MessagingTelemetry telemetry) {
        this.connection = connection;
        this.codec = codec;
        this.telemetry = telemetry;
    }

    /** Reports every request from now on to {@code observer} (e.g. to record metrics); one observer at a time. */
    public void observe(RequestObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Same as {@link #request(String, Object, Map, Class, Duration)} without extra headers. */
    public <R> R request(String subject, Object payload, Class<R> replyType, Duration timeout) {
        return request(subject, payload, Map.of(), replyType, timeout);
    }

    /**
     * Sends {@code payload} to {@code subject} and decodes the reply as {@code replyType}.
     *
     * @throws RequestTimeoutException    no reply within {@code timeout}
     * @throws NoRespondersException      nobody listens on {@code subject} (reported at once)
     * @throws NotConnectedException      the connection is down (reconnecting): nothing was sent (reported at once)
     * @throws RemoteErrorException       the responder answered with a service error
     * @throws MalformedMessageException  the reply cannot be decoded
     * @throws MessagingException         anything else (connection closed, interrupted, ...)
     */
    @SuppressWarnings("try") // the scope only makes the span current
    public <R> R request(String subject, Object payload, Map<String, String> headers, Class<R> replyType,
                         Duration timeout) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(replyType, "replyType");
        Objects.requireNonNull(timeout, "timeout");
        Span span = telemetry.startRequest(subject);
        long started = System.nanoTime();
        String outcome = RequestObserver.OK;
        try (Scope ignored = span.makeCurrent()) {
            byte[] body = codec.encode(payload);
            span.setAttribute(MessagingTelemetry.BODY_SIZE, (long) body.length);
            Headers outgoing = new Headers();
            if (headers != null) {
                headers.forEach(outgoing::put);
            }
            telemetry.inject(Context.current(), outgoing);
            Message reply = exchange(subject, outgoing.isEmpty() ? null : outgoing, body, timeout);
            return decode(reply, replyType);
        } catch (MessagingException e) {
            outcome = e.getClass().getSimpleName();
            MessagingTelemetry.failed(span, e);
            throw e;
        } catch (RuntimeException e) {
            outcome = "error";
            throw e;
        } finally {
            span.end();
            observer.completed(subject, Duration.ofNanos(System.nanoTime() - started), outcome);
        }
    }

    private Message exchange(String subject, Headers headers, byte[] body, Duration timeout) {
        Connection.Status before = connection.getStatus();
        if (before != Connection.Status.CONNECTED) {
            // jnats would buffer the request until it reconnects; a reply could only come after the timeout.
            throw new NotConnectedException("cannot send request to " + subject + ": NATS connection is " + before);
        }
        CompletableFuture<Message> future;
        try {
            future = connection.requestWithTimeout(subject, headers, body, timeout);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Closed connection, invalid subject, payload above the server's limit; before the first connect jnats
            // even refuses headers ("not supported by the server"), so name the real cause.
            Connection.Status now = connection.getStatus();
            String reason = now == Connection.Status.CONNECTED ? e.getMessage() : "NATS connection is " + now;
            throw new MessagingException("cannot send request to " + subject + ": " + reason, e);
        }
        long start = System.nanoTime();
        try {
            Message reply = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (reply.isStatusMessage() && reply.getStatus().getCode() == Status.NO_RESPONDERS_CODE) {
                throw noResponders(subject);
            }
            return reply;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(subject, timeout);
        } catch (ExecutionException e) {
            // The connection reports no-responders as a 503 status (Options.reportNoResponders).
            if (e.getCause() instanceof JetStreamStatusException status
                    && status.getStatus().getCode() == Status.NO_RESPONDERS_CODE) {
                throw noResponders(subject);
            }
            if (e.getCause() instanceof TimeoutException) {
                throw timedOut(subject, timeout);
            }
            throw new MessagingException("request to " + subject + " failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            // jnats cancels pending requests when its own timeout fires or the connection closes.
            if (System.nanoTime() - start >= timeout.toNanos()) {
                throw timedOut(subject, timeout);
            }
            throw new MessagingException("request to " + subject + " was cancelled (connection closing?)", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for a reply from " + subject, e);
        }
    }

    private <R> R decode(Message reply, Class<R> replyType) {
        Headers headers = reply.getHeaders();
        String code = headers == null ? null : headers.getFirst(ServiceMessage.NATS_SERVICE_ERROR_CODE);
        if (code != null) {
            String text = headers.getFirst(ServiceMessage.NATS_SERVICE_ERROR);
            throw new RemoteErrorException(parseCode(code), text == null ? "" : text);
        }
        return codec.decode(reply.getData(), replyType);
    }

    private static int parseCode(String code) {
        try {
            return Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            return 500; // a responder that cannot even send a number has failed
        }
    }

    private static NoRespondersException noResponders(String subject) {
        return new NoRespondersException("no responders for " + subject);
    }

    private static RequestTimeoutException timedOut(String subject, Duration timeout) {
        return new RequestTimeoutException("no reply from " + subject + " within " + timeout.toMillis() + " ms");
    }
}
