-- One attempt per order: the unique order_id is what stops a second OrderPlaced for the same order from paying twice.
CREATE TABLE payments (
    id           uuid        PRIMARY KEY,
    order_id     uuid        NOT NULL UNIQUE,
    customer_id  text,                      -- null while orders are anonymous
    amount       bigint      NOT NULL CHECK (amount >= 0),
    currency     char(3)     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('AUTHORIZED', 'DECLINED')),
    reason       text,                      -- why it was declined
    provider_ref text,                      -- the provider's id of the authorization
    created_at   timestamptz NOT NULL,
    CHECK ((status = 'AUTHORIZED' AND provider_ref IS NOT NULL AND reason IS NULL)
        OR (status = 'DECLINED' AND reason IS NOT NULL))
);
