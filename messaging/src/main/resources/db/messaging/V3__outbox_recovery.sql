-- Outbox rows remember where JetStream stored them, so that a stream that lost its data (store wiped, stream
-- deleted and recreated) can be detected (its sequence went backwards) and its rows published again; and a row
-- JetStream refused waits before its next attempt (exponential back-off) instead of being retried on every batch.
ALTER TABLE messaging_outbox
    ADD COLUMN stream          TEXT,        -- the stream that acknowledged the publish
    ADD COLUMN stream_seq      BIGINT,      -- its sequence there
    ADD COLUMN next_attempt_at TIMESTAMPTZ; -- a refused row is not tried again before this
