-- The transactional outbox (dev.bazaar.messaging.outbox): a service appends an event here in the same transaction
-- as the state change it announces; the relay publishes committed rows to JetStream with Nats-Msg-Id = event_id and
-- sets published_at only after JetStream acknowledged. Run by the service kit with its own history table
-- (messaging_schema_history), before the service's own migrations.
CREATE TABLE messaging_outbox (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- creation order
    event_id     UUID        NOT NULL UNIQUE,
    subject      TEXT        NOT NULL,
    payload      TEXT        NOT NULL,                                 -- JSON, exactly as published
    traceparent  TEXT,                                                 -- W3C trace context of the writing transaction
    tracestate   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ,
    attempts     INTEGER     NOT NULL DEFAULT 0,                       -- failed publish attempts
    last_error   TEXT
);

-- The relay's batch query: unpublished rows in creation order.
CREATE INDEX messaging_outbox_unpublished ON messaging_outbox (id) WHERE published_at IS NULL;
-- The purge of published rows past retention.
CREATE INDEX messaging_outbox_published ON messaging_outbox (published_at) WHERE published_at IS NOT NULL;
