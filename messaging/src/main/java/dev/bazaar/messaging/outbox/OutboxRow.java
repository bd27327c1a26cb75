package dev.bazaar.messaging.outbox;

import dev.bazaar.messaging.NatsHeadersCarrier;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** An unpublished outbox row, as the relay reads it. */
record OutboxRow(long id, UUID eventId, String subject, String payload, String traceparent, String tracestate,
                 int attempts) {

    static OutboxRow read(ResultSet row) throws SQLException {
        return new OutboxRow(row.getLong("id"), row.getObject("event_id", UUID.class), row.getString("subject"),
                row.getString("payload"), row.getString("traceparent"), row.getString("tracestate"),
                row.getInt("attempts"));
    }

    byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    /** The trace context of the transaction that wrote the row (the root context if it had none). */
    Context writerContext(OpenTelemetry openTelemetry) {
        if (traceparent == null) {
            return Context.root();
        }
        Headers stored = new Headers().put(Outbox.TRACEPARENT, traceparent);
        if (tracestate != null) {
            stored.put(Outbox.TRACESTATE, tracestate);
        }
        return NatsHeadersCarrier.extract(openTelemetry, stored);
    }
}
