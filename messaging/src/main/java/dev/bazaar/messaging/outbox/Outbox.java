package dev.bazaar.messaging.outbox;

import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.MessagingTelemetry;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("Outbox.append must run inside the transaction that changes the state");
        }
        Rows rows = rows().add(subject, eventId, event);
        rows.bindTo(handle.createUpdate(INSERT_ROWS)).execute();
    }

    /**
     * The statement that inserts {@link Rows}, to be run as part of the caller's own statement, typically as the
     * last of its data-modifying {@code WITH} clauses ({@code WITH o AS (INSERT INTO orders ...), e AS (}this{@code )
     * SELECT ...}): one statement is atomic by itself, so the event and the state change then commit together
     * without a transaction around them, in one round trip. A {@code WHERE} clause may follow it (e.g.
     * {@code WHERE EXISTS (SELECT 1 FROM changed)}: the rows only if the change happened). Bind the rows with
     * {@link Rows#bindTo}.
     */
    public static final String INSERT_ROWS = """
            INSERT INTO messaging_outbox (event_id, subject, payload, traceparent, tracestate)
            SELECT * FROM unnest(CAST(:outboxEventIds AS uuid[]), CAST(:outboxSubjects AS text[]),
                                 CAST(:outboxPayloads AS text[]), CAST(:outboxTraceparents AS text[]),
                                 CAST(:outboxTracestates AS text[]))""";

    /** No rows yet; {@link Rows#add} the events, then bind them to a statement that runs {@link #INSERT_ROWS}. */
    public Rows rows() {
        return new Rows();
    }

    /**
     * Outbox rows to insert with {@link #INSERT_ROWS}: each event encoded as JSON, with the trace context current
     * when it was added (so that the relay's publish continues the trace of the request that wrote it).
     */
    public final class Rows {
        private final List<UUID> eventIds = new ArrayList<>(2);
        private final List<String> subjects = new ArrayList<>(2);
        private final List<String> payloads = new ArrayList<>(2);
        private final List<String> traceparents = new ArrayList<>(2);
        private final List<String> tracestates = new ArrayList<>(2);

        private Rows() {
        }

        /** Adds {@code event}, to be published to {@code subject} with {@code Nats-Msg-Id} = {@code eventId}. */
        public Rows add(String subject, UUID eventId, Object event) {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(eventId, "eventId");
            // The propagator writes the W3C headers it knows; NATS headers are a convenient carrier for them.
            Headers trace = new Headers();
            telemetry.inject(Context.current(), trace);
            eventIds.add(eventId);
            subjects.add(subject);
            payloads.add(new String(codec.encode(event), StandardCharsets.UTF_8));
            traceparents.add(trace.getFirst(TRACEPARENT));
            tracestates.add(trace.getFirst(TRACESTATE));
            return this;
        }

        /** How many rows were added. */
        public int size() {
            return eventIds.size();
        }

        /** Binds the rows to {@code statement}, whose SQL contains {@link #INSERT_ROWS} once. */
        public <T extends SqlStatement<T>> T bindTo(T statement) {
            return statement.bindArray("outboxEventIds", UUID.class, eventIds)
                    .bindArray("outboxSubjects", String.class, subjects)
                    .bindArray("outboxPayloads", String.class, payloads)
                    .bindArray("outboxTraceparents", String.class, traceparents)
                    .bindArray("outboxTracestates", String.class, tracestates);
        }
    }
}
