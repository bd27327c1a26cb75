-- The saga deadline looks for orders still PLACED, oldest first (orders.saga.deadline).
CREATE INDEX orders_placed_by_age ON orders (placed_at) WHERE status = 'PLACED';
