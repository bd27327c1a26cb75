package dev.bazaar.messaging.outbox;

import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.MessagingTelemetry;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Appends events to the outbox table inside the caller's open JDBI transaction, so that an event exists if and only
 * if the state change it announces committed. The {@link OutboxRelay} publishes it afterwards. The row keeps the
 * {@code traceparent}/{@code tracestate} of the current context, so that the relay's publish continues the trace of
 * the request that wrote it.
 */
public final class Outbox {
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private final JsonCodec codec;
    private final MessagingTelemetry telemetry;

    public Outbox(JsonCodec codec, OpenTelemetry openTelemetry) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.telemetry = new MessagingTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * Appends {@code event}, encoded as JSON, to be published to {@code subject} with {@code Nats-Msg-Id} =
     * {@code eventId}.
     *
     * @throws IllegalStateException if {@code handle} has no open transaction: outside one, the event and the state
     *                               change could commit separately, which is what the outbox exists to prevent
     */
    public void append(Handle handle, String subject, UUID eventId, Object event) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(eventId, "eventId");
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("Outbox.append must run inside the transaction that changes the state");
        }
        String payload = new String(codec.encode(event), StandardCharsets.UTF_8);
        // The propagator writes the W3C headers it knows; NATS headers are a convenient carrier for them.
        Headers trace = new Headers();
        telemetry.inject(Context.current(), trace);
        handle.createUpdate("""
                        INSERT INTO messaging_outbox (event_id, subject, payload, traceparent, tracestate)
                        VALUES (:eventId, :subject, :payload, :traceparent, :tracestate)
                        """)
                .bind("eventId", eventId)
                .bind("subject", subject)
                .bind("payload", payload)
                .bind("traceparent", trace.getFirst(TRACEPARENT))
                .bind("tracestate", trace.getFirst(TRACESTATE))
                .execute();
    }
}
