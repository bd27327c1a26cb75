-- Attempt counters shared by every instance (failed-login and registration limits): one row per key, counting
-- attempts in a fixed window that ends at expires_at. Counted with one upsert before any password is hashed, so
-- parallel guesses cannot all slip past the check.
CREATE TABLE attempt_counters (
    key        text        PRIMARY KEY,
    count      integer     NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX attempt_counters_expiry ON attempt_counters (expires_at);

-- From this version on, signing_keys.private_key holds the PKCS#8 key sealed with AES-256-GCM (SealedKeys; identity
-- seals older rows at start), and a retired key's row is deleted once no token it signed can still be valid.
COMMENT ON COLUMN signing_keys.private_key IS 'PKCS#8 sealed by AES-256-GCM under identity.key-encryption-key';
