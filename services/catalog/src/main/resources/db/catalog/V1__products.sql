CREATE TABLE products (
    id           uuid        PRIMARY KEY,
    sku          text        NOT NULL UNIQUE,
    name         text        NOT NULL,
    price_amount bigint      NOT NULL CHECK (price_amount >= 0),
    currency     char(3)     NOT NULL,
    stock        integer     NOT NULL CHECK (stock >= 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);
