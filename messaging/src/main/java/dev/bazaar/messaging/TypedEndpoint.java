package dev.bazaar.messaging;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.support.JsonValue;
import io.nats.service.ServiceMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one subject: trace context in, size check, decode, handler, encode, reply. Every request gets a reply (a
 * value or a standard service error); nothing the caller sent or the handler threw can make it go silent.
 */
final class TypedEndpoint<Q, R> {
    private static final Logger LOG = Logger.getLogger(TypedEndpoint.class.getName());
    static final ServiceError INTERNAL_ERROR = new ServiceError(500, "internal error");
    static final ServiceError PAYLOAD_TOO_LARGE = new ServiceError(413, "payload too large");
    static final ServiceError STOPPING = new ServiceError(503, "service stopping");
    private static final int MAX_ERROR_TEXT = 512;

    private final Connection connection;
    private final JsonCodec codec;
    private final MessagingTelemetry telemetry;
    private final String subject;
    private final String queueGroup;
    private final Class<Q> requestType;
    private final RequestHandler<Q, R> handler;
    private final ErrorMapper errorMapper;
    private final int maxPayloadBytes;
    private final EndpointCounters counters = new EndpointCounters();

    TypedEndpoint(Connection connection, JsonCodec codec, MessagingTelemetry telemetry, String subject,
                  String queueGroup, Class<Q> requestType, RequestHandler<Q, R> handler, ErrorMapper errorMapper,
                  int maxPayloadBytes) {
        this.connection = connection;
        this.codec = codec;
        this.telemetry = telemetry;
        this.subject = subject;
        this.queueGroup = queueGroup;
        this.requestType = requestType;
        this.handler = handler;
        this.errorMapper = errorMapper;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Handles one request; runs on a worker virtual thread, never on the jnats dispatcher. */
    @SuppressWarnings("try") // the scope makes the span current for the handler's own requests
    void handle(ServiceMessage message) {
        long start = System.nanoTime();
        byte[] data = message.getData();
        Span span = telemetry.startProcess(subject, queueGroup, message.getHeaders(), data == null ? 0 : data.length);
        try (Scope ignored = span.makeCurrent()) {
            Outcome outcome = process(message, data);
            if (outcome.error() != null) {
                MessagingTelemetry.answeredWithError(span, outcome.error(), outcome.cause());
            }
            send(message, outcome);
            counters.record(System.nanoTime() - start, outcome.error());
        } finally {
            span.end();
        }
    }

    /** Error and timing counters, for the endpoint's {@code $SRV.STATS} data. */
    JsonValue stats() {
        return counters.toJson();
    }

    /** Answers without running the handler, e.g. when the service is stopping. */
    void reject(ServiceMessage message, ServiceError error) {
        send(message, new Outcome(null, error, null));
    }

    private Outcome process(ServiceMessage message, byte[] data) {
        if (data != null && data.length > maxPayloadBytes) {
            return new Outcome(null, PAYLOAD_TOO_LARGE, null);
        }
        Q request;
        try {
            request = codec.decode(data, requestType);
        } catch (MalformedMessageException e) {
            return new Outcome(null, new ServiceError(400, "malformed request: " + e.getMessage()), null);
        }
        try {
            R reply = handler.handle(request, new RequestContext(message.getSubject(), firstValues(message.getHeaders())));
            return new Outcome(codec.encode(reply), null, null);
        } catch (Throwable error) { // a handler's failure becomes an answer, whatever it is
            return new Outcome(null, map(error), error);
        }
    }

    private ServiceError map(Throwable error) {
        ServiceError mapped = null;
        if (errorMapper != null) {
            try {
                mapped = errorMapper.map(error);
            } catch (RuntimeException mapperFailure) {
                LOG.log(Level.WARNING, "error mapper of " + subject + " failed", mapperFailure);
            }
        }
        if (mapped == null || mapped.code() >= 500) {
            LOG.log(Level.WARNING, "request on " + subject + " failed", error);
        } else {
            LOG.fine(() -> "request on " + subject + " answered with " + error);
        }
        return mapped == null ? INTERNAL_ERROR : mapped;
    }

    private void send(ServiceMessage message, Outcome outcome) {
        if (message.getReplyTo() == null) {
            LOG.fine(() -> "message on " + subject + " had no reply subject; nothing to answer");
            return;
        }
        try {
            if (outcome.error() == null) {
                message.respond(connection, outcome.body());
            } else {
                message.respondStandardError(connection, headerSafe(outcome.error().message()), outcome.error().code());
            }
        } catch (RuntimeException e) {
            // e.g. a reply above the server's max_payload; the caller should not be left to time out.
            LOG.log(Level.WARNING, "could not reply on " + subject, e);
            if (outcome.error() == null) {
                try {
                    message.respondStandardError(connection, INTERNAL_ERROR.message(), INTERNAL_ERROR.code());
                } catch (RuntimeException again) {
                    LOG.log(Level.FINE, "could not send the error reply either", again);
                }
            }
        }
    }

    /** NATS header values must be ASCII without CR/LF; error texts may come from anywhere. */
    static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_ERROR_TEXT));
        for (int i = 0; i < text.length() && safe.length() < MAX_ERROR_TEXT; i++) {
            char c = text.charAt(i);
            safe.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return safe.toString();
    }

    private static Map<String, String> firstValues(Headers headers) {
        Map<String, String> first = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (values != null && !values.isEmpty() && values.get(0) != null) {
                    first.putIfAbsent(name, values.get(0));
                }
            });
        }
        return first;
    }

    /** Either a reply body or an error (with the throwable behind it, if any). */
    private record Outcome(byte[] body, ServiceError error, Throwable cause) {
    }
}
