-- A client's Idempotency-Key (POST /orders), kept with the order it created: a retry with the same key finds that
-- order instead of placing a second one. request_hash is a SHA-256 of the request, so that the same key sent with
-- another body is told apart (422). Unique per customer: two customers may pick the same key.
ALTER TABLE orders ADD COLUMN idempotency_key text;
ALTER TABLE orders ADD COLUMN request_hash text;
CREATE UNIQUE INDEX orders_customer_idempotency_key ON orders (customer_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
