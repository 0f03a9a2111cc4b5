-- The users module's profile: one row per user (RULES R6: id, user_id, timestamps).
CREATE TABLE users.profiles (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL,
    display_name TEXT,
    timezone     TEXT NOT NULL,
    currency     TEXT NOT NULL,
    locale       TEXT NOT NULL,
    week_start   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    -- One profile per user; also the index every lookup (`WHERE user_id = $1`) uses.
    CONSTRAINT uq_profiles_user_id UNIQUE (user_id)
);
