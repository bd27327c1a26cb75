-- The idempotent-consumer guard (dev.bazaar.messaging.outbox.ProcessedEvents): a consumer inserts (consumer, event_id)
-- in the transaction that applies an event's effect; the primary key makes a second delivery a no-op, even when two
-- deliveries race.
CREATE TABLE messaging_processed_events (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX messaging_processed_events_processed_at ON messaging_processed_events (processed_at);
