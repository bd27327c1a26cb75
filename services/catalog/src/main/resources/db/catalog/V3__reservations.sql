-- Stock held for an order (the reservation id is the order id). HELD lapses at expires_at unless the order is
-- placed (CONFIRMED); RELEASED returned its stock (released by orders, by cancellation, or by expiry).
CREATE TABLE reservations (
    order_id       uuid        PRIMARY KEY,
    status         text        NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'RELEASED')),
    expires_at     timestamptz NOT NULL,
    release_reason text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE status = 'HELD';

CREATE TABLE reservation_lines (
    order_id   uuid    NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
    product_id uuid    NOT NULL REFERENCES products (id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);
