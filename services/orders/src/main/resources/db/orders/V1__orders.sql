CREATE TABLE orders (
    id           uuid        PRIMARY KEY,
    customer_id  text,                      -- null until identity exists (anonymous orders)
    status       text        NOT NULL CHECK (status IN ('PLACED', 'CONFIRMED', 'CANCELLED')),
    currency     char(3)     NOT NULL,
    total_amount bigint      NOT NULL CHECK (total_amount >= 0),
    placed_at    timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE order_lines (
    order_id    uuid    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no     integer NOT NULL,
    product_id  uuid    NOT NULL,
    sku         text    NOT NULL,
    name        text    NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_amount bigint  NOT NULL CHECK (unit_amount >= 0),
    line_amount bigint  NOT NULL CHECK (line_amount >= 0),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_status_history (
    order_id uuid        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    seq      integer     NOT NULL,
    status   text        NOT NULL,
    reason   text        NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (order_id, seq)
);
