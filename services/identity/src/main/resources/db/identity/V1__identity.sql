-- Users: the e-mail is stored normalized (trimmed, lower case), so the unique constraint is the duplicate check.
CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,           -- Argon2id PHC string, never the password
    roles         text[]      NOT NULL,
    created_at    timestamptz NOT NULL
);

-- OAuth2 clients for the client_credentials grant; secrets stored as Argon2id PHC strings.
CREATE TABLE oauth_clients (
    id          text        PRIMARY KEY,
    secret_hash text        NOT NULL,
    roles       text[]      NOT NULL,
    scopes      text[]      NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Refresh tokens: only the SHA-256 of the token is kept. A family is one login and every token rotated from it;
-- presenting a used token revokes the whole family (someone else holds a copy).
CREATE TABLE refresh_tokens (
    token_hash  bytea       PRIMARY KEY,
    family_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Signing keys, shared by every instance. LOCAL DEFAULT: the private key is stored here as PKCS#8 as it is;
-- production should keep it in a KMS or secret store and keep only a reference here.
CREATE TABLE signing_keys (
    kid         text        PRIMARY KEY,
    algorithm   text        NOT NULL,
    public_jwk  text        NOT NULL,             -- JSON: the public key only
    private_key bytea       NOT NULL,             -- PKCS#8
    status      text        NOT NULL CHECK (status IN ('active', 'retired')),
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz,
    CHECK ((status = 'active') = (retired_at IS NULL))
);
-- At most one active key, whatever several instances do at the same moment.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((status)) WHERE status = 'active';
