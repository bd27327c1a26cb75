-- One row per order event per customer. event_id is unique as a second guard behind the messaging library's
-- processed_events table (checked in the same transaction): a redelivered event never stores twice.
CREATE TABLE notifications (
    id          uuid        PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    customer_id text        NOT NULL,           -- 'anonymous' while orders carry no customer
    order_id    uuid        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('PLACED', 'CONFIRMED', 'CANCELLED')),
    message     text        NOT NULL,
    created_at  timestamptz NOT NULL
);

-- GET /notifications?customerId=…: a customer's newest first.
CREATE INDEX notifications_by_customer ON notifications (customer_id, created_at DESC, id DESC);
