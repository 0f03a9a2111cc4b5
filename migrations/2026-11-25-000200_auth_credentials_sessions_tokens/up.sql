-- Credentials: the email that identifies an account and its password hash.
CREATE TABLE auth.credentials (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    -- One credential per user; serves `WHERE user_id = $1`.
    CONSTRAINT uq_credentials_user_id UNIQUE (user_id),
    -- Identity: an email belongs to one account (stored normalised: trimmed, lowercase).
    -- Serves the login lookup by email, the one query that precedes knowing the user.
    CONSTRAINT uq_credentials_email UNIQUE (email)
);

-- Login sessions: one row per refresh-token family. The current refresh token
-- is stored as a SHA-256 hash; a rotation replaces it.
CREATE TABLE auth.sessions (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL,
    refresh_hash  BYTEA NOT NULL,
    user_agent    TEXT,
    ip            TEXT,
    last_used_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
-- Serves the session list (`WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC`)
-- and revoke-all-other-sessions on password change.
CREATE INDEX idx_sessions_user_id_created_at ON auth.sessions (user_id, created_at DESC);

-- Personal access tokens for scripts: stored as SHA-256 hashes, shown once.
CREATE TABLE auth.personal_access_tokens (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL,
    name          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    token_hash    BYTEA NOT NULL,
    last_used_at  TIMESTAMPTZ,
    expires_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    -- A token's hash identifies it; serves verification (`WHERE user_id = $1 AND token_hash = $2`).
    CONSTRAINT uq_personal_access_tokens_token_hash UNIQUE (token_hash)
);
-- Serves the token list (`WHERE user_id = $1 ORDER BY created_at DESC`).
CREATE INDEX idx_personal_access_tokens_user_id_created_at
    ON auth.personal_access_tokens (user_id, created_at DESC);
