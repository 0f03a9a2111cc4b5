-- Idempotency-Key of `POST /calendar/events` (RULES R6: id, user_id, timestamps), the
-- shape every module's `idempotency_keys` shares (kernel's
-- PgIdempotencyStore runs the same statements on each). The key is claimed
-- inside the create's transaction (INSERT ... ON CONFLICT DO NOTHING) and the
-- response stored with it; `status` is pending/completed, checked by the
-- application (RULES R3). Keys older than 24 hours are purged by the next
-- claim of the same user.
CREATE TABLE calendar.idempotency_keys (
    id                UUID PRIMARY KEY,
    user_id           UUID NOT NULL,
    key               TEXT NOT NULL,
    fingerprint       BYTEA NOT NULL,
    status            TEXT NOT NULL,
    response_status   INTEGER,
    response_location TEXT,
    response_body     BYTEA,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    -- Identity: a key per user. Its unique index serves the claim
    -- (`ON CONFLICT (user_id, key)`), the lookup and the completion
    -- (`WHERE user_id = $1 AND key = $2`), the purge of the user's expired
    -- keys (`WHERE user_id = $1 AND created_at < $2`) and account deletion
    -- (`WHERE user_id = $1`), the last two by its user_id prefix.
    CONSTRAINT uq_idempotency_keys_user_id_key UNIQUE (user_id, key)
);
