-- GET /orders pages newest first by (placed_at, id): a customer's own orders, and (admins) everyone's.
CREATE INDEX orders_by_customer ON orders (customer_id, placed_at DESC, id DESC);
CREATE INDEX orders_by_time ON orders (placed_at DESC, id DESC);
