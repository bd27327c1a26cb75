-- An authorization voided because its order was cancelled meanwhile (the saga deadline while payments charged), and
-- the orders payments learned were cancelled, so that a payment that comes later is never charged (issue 9).
ALTER TABLE payments
    DROP CONSTRAINT payments_status_check,
    DROP CONSTRAINT payments_check,
    ADD COLUMN voided_at timestamptz,
    ADD CONSTRAINT payments_status_check CHECK (status IN ('AUTHORIZED', 'DECLINED', 'VOIDED')),
    ADD CONSTRAINT payments_check CHECK (
        (status = 'AUTHORIZED' AND provider_ref IS NOT NULL AND reason IS NULL AND voided_at IS NULL)
        OR (status = 'DECLINED' AND reason IS NOT NULL AND voided_at IS NULL)
        OR (status = 'VOIDED' AND provider_ref IS NOT NULL AND reason IS NOT NULL AND voided_at IS NOT NULL));

CREATE TABLE cancelled_orders (
    order_id     uuid        PRIMARY KEY,
    reason       text        NOT NULL,
    cancelled_at timestamptz NOT NULL
);
