-- A small seed catalogue, loaded once on first start (Flyway runs each migration once).
-- Fixed ids so that the README's curl examples work on every machine.
INSERT INTO products (id, sku, name, price_amount, currency, stock) VALUES
    ('00000000-0000-4000-8000-000000000001', 'MUG-BLUE',     'Blue enamel mug',         1250, 'EUR', 500),
    ('00000000-0000-4000-8000-000000000002', 'TEE-NATS-M',   'NATS t-shirt, size M',    2400, 'EUR', 200),
    ('00000000-0000-4000-8000-000000000003', 'BOOK-DDIA',    'Designing Data-Intensive Applications', 4590, 'EUR', 50),
    ('00000000-0000-4000-8000-000000000004', 'KBD-MECH',     'Mechanical keyboard',    12900, 'EUR', 25),
    ('00000000-0000-4000-8000-000000000005', 'STICKER-PACK', 'Sticker pack',             399, 'EUR', 10000),
    ('00000000-0000-4000-8000-000000000006', 'LAMP-DESK',    'Desk lamp (US plug)',     3500, 'USD', 40);
