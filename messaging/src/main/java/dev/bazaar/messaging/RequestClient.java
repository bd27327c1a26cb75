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
    /**
     * How long a request that could not be delivered is tried again (at most half its timeout): a client fails over
     * to another server of the cluster in milliseconds, a responder's subscription comes back with its reconnect; a
     * longer outage is reported within this, not after the whole timeout (POST /orders answers 503 at once).
     */
    public static final Duration FAILOVER = Duration.ofMillis(500);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(25);
    /** How often an idempotent request that waits for its reply looks whether the connection was replaced. */
    private static final Duration WATCH = Duration.ofMillis(100);

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
     * Sends {@code payload} to {@code subject} and decodes the reply as {@code replyType}. A request that could not be
     * delivered (the connection is reconnecting, or nobody serves the subject for a moment: a responder reconnecting)
     * is sent again for up to {@link #FAILOVER} within {@code timeout}, so that a failover to another server of the
     * cluster is not an error; an outage longer than that is reported as before.
     *
     * @throws RequestTimeoutException    no reply within {@code timeout}
     * @throws NoRespondersException      nobody listens on {@code subject} (reported within {@link #FAILOVER})
     * @throws NotConnectedException      the connection is down (reconnecting) or went down while waiting
     * @throws RemoteErrorException       the responder answered with a service error
     * @throws MalformedMessageException  the reply cannot be decoded
     * @throws MessagingException         anything else (connection closed, interrupted, ...)
     */
    public <R> R request(String subject, Object payload, Map<String, String> headers, Class<R> replyType,
                         Duration timeout) {
        return send(subject, payload, headers, replyType, timeout, false);
    }

    /**
     * {@link #request(String, Object, Map, Class, Duration)} for a request that may safely run twice (keyed by what it
     * acts on, such as an order id), sent again within the same {@code timeout} instead of waiting it out when it was
     * probably lost: at once when this connection reconnected while it waited (the request or its reply may have gone
     * with the old socket), and once when half the timeout passed without a reply (core NATS is at most once: a
     * message in transit inside a server that is killed, or on a responder's connection to it, is gone; with a
     * responder that answers in milliseconds, a reply that late means loss far more often than slowness).
     */
    public <R> R requestIdempotent(String subject, Object payload, Map<String, String> headers, Class<R> replyType,
                                   Duration timeout) {
        return send(subject, payload, headers, replyType, timeout, true);
    }

    @SuppressWarnings("try") // the scope only makes the span current
    private <R> R send(String subject, Object payload, Map<String, String> headers, Class<R> replyType,
                       Duration timeout, boolean idempotent) {
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
            Message reply = exchange(subject, outgoing.isEmpty() ? null : outgoing, body, timeout, idempotent);
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

    /** Sends until a reply, a failure that a new try cannot help, or the end of what each kind of retry may take. */
    private Message exchange(String subject, Headers headers, byte[] body, Duration timeout, boolean idempotent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long failoverEnd = 0; // of the current streak of undelivered tries; 0: none
        boolean hedged = !idempotent;
        CompletableFuture<Message> slow = null; // the hedged try, still awaited beside the next one
        while (true) {
            long hedgeAt = hedged ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos() / 2;
            try {
                return exchangeOnce(subject, headers, body, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
                        idempotent, deadline, hedgeAt, slow);
            } catch (Undelivered e) {
                long now = System.nanoTime();
                if (failoverEnd == 0) {
                    failoverEnd = Math.min(deadline, now + Math.min(FAILOVER.toNanos(), timeout.toNanos() / 2));
                }
                if (now + RETRY_PAUSE.toNanos() > failoverEnd) {
                    throw e.failure;
                }
            } catch (SendAgain e) {
                // Probably lost (idempotent only): send it again, and give the responders the failover time to
                // subscribe again after a reconnect.
                if (System.nanoTime() >= deadline) {
                    throw timedOut(subject, timeout);
                }
                hedged |= e.hedge;
                slow = e.pending;
                failoverEnd = 0;
                continue;
            }
            pause();
        }
    }

    /**
     * One try: throws {@link Undelivered} when nobody can have received the request (so it may go again), and
     * {@link SendAgain} when an idempotent request is probably lost (a reconnect, or no reply by {@code hedgeAt}).
     * {@code slow}: an earlier try that is merely slow (hedged), whose reply is as good as this one's.
     */
    private Message exchangeOnce(String subject, Headers headers, byte[] body, Duration timeout, boolean idempotent,
                                 long deadline, long hedgeAt, CompletableFuture<Message> slow) {
        Connection.Status before = connection.getStatus();
        if (before != Connection.Status.CONNECTED) {
            // jnats would buffer the request until it reconnects; a reply could only come after the timeout.
            throw new Undelivered(new NotConnectedException("cannot send request to " + subject
                    + ": NATS connection is " + before));
        }
        long reconnects = connection.getStatistics().getReconnects();
        CompletableFuture<Message> future;
        try {
            future = firstReply(slow, connection.requestWithTimeout(subject, headers, body, timeout));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Closed connection, invalid subject, payload above the server's limit; before the first connect jnats
            // even refuses headers ("not supported by the server"), so name the real cause.
            Connection.Status now = connection.getStatus();
            String reason = now == Connection.Status.CONNECTED ? e.getMessage() : "NATS connection is " + now;
            throw new MessagingException("cannot send request to " + subject + ": " + reason, e);
        }
        try {
            Message reply = await(future, deadline, idempotent ? reconnects : -1, hedgeAt);
            if (reply.isStatusMessage() && reply.getStatus().getCode() == Status.NO_RESPONDERS_CODE) {
                throw new Undelivered(noResponders(subject));
            }
            return reply;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(subject, timeout);
        } catch (ExecutionException e) {
            // The connection reports no-responders as a 503 status (Options.reportNoResponders).
            if (e.getCause() instanceof JetStreamStatusException status
                    && status.getStatus().getCode() == Status.NO_RESPONDERS_CODE) {
                throw new Undelivered(noResponders(subject));
            }
            if (e.getCause() instanceof TimeoutException) {
                throw timedOut(subject, timeout);
            }
            throw new MessagingException("request to " + subject + " failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            // jnats cancels pending requests when its own timeout fires or the connection closes.
            if (System.nanoTime() >= deadline) {
                throw timedOut(subject, timeout);
            }
            if (idempotent) {
                throw new SendAgain(false, null);
            }
            throw new NotConnectedException("request to " + subject + " was cancelled: the NATS connection is "
                    + connection.getStatus());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for a reply from " + subject, e);
        }
    }

    /**
     * The first reply of {@code slow} (may be null) and {@code latest}; fails only when both do, as the latest did.
     * Cancelling it cancels both.
     */
    private static CompletableFuture<Message> firstReply(CompletableFuture<Message> slow,
                                                         CompletableFuture<Message> latest) {
        if (slow == null || slow.isCompletedExceptionally()) {
            return latest;
        }
        CompletableFuture<Message> first = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                slow.cancel(mayInterruptIfRunning);
                latest.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        slow.thenAccept(first::complete);
        latest.whenComplete((reply, error) -> {
            if (error == null) {
                first.complete(reply);
            } else {
                slow.whenComplete((ignored, slowError) -> {
                    if (slowError != null) {
                        first.completeExceptionally(error);
                    }
                });
            }
        });
        return first;
    }

    /**
     * The reply by {@code deadline}; with {@code reconnects} (else -1), throws {@link SendAgain} as soon as the
     * connection has reconnected since the request was sent and is connected again, or at {@code hedgeAt}.
     */
    private Message await(CompletableFuture<Message> future, long deadline, long reconnects, long hedgeAt)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (reconnects < 0) {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return future.get(Math.max(0, Math.min(left, WATCH.toNanos())), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (left <= WATCH.toNanos()) {
                    throw e;
                }
                if (connection.getStatus() != Connection.Status.CONNECTED) {
                    continue;
                }
                if (connection.getStatistics().getReconnects() != reconnects) {
                    future.cancel(true);
                    throw new SendAgain(false, null);
                }
                if (System.nanoTime() >= hedgeAt) {
                    // Kept, not cancelled: a slow responder's reply still counts (and comes before a second try's).
                    throw new SendAgain(true, future);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting to send a request again", e);
        }
    }

    /** Internal signal of {@link #exchangeOnce}: nobody received the request; {@code failure} if it cannot go again. */
    private static final class Undelivered extends RuntimeException {
        final MessagingException failure;

        Undelivered(MessagingException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    /**
     * Internal signal of {@link #exchangeOnce}: an idempotent request is probably lost; {@code hedge} when because no
     * reply came in half its time (done once per request; {@code pending} is that try, still awaited), else because
     * the connection was replaced meanwhile.
     */
    private static final class SendAgain extends RuntimeException {
        final boolean hedge;
        final transient CompletableFuture<Message> pending;

        SendAgain(boolean hedge, CompletableFuture<Message> pending) {
            super(null, null, false, false);
            this.hedge = hedge;
            this.pending = pending;
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
