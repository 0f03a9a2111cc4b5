-- Calendar events. For a recurring event the row is the series: `starts_at`/`ends_at`
-- are its first instance, `rrule` the RFC 5545 rule (UNTIL in UTC), `timezone` the
-- IANA zone its instances and all-day dates are computed in. All-day events keep
-- their dates in `start_date`/`end_date` (end exclusive) and the matching local
-- midnights in `starts_at`/`ends_at`. `series_ends_at` is an upper bound of the end
-- of the last instance (9999-12-31 for an endless rule), kept by the application.
CREATE TABLE calendar.events (
    id              UUID PRIMARY KEY,
    user_id         UUID NOT NULL,
    uid             TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT,
    location        TEXT,
    starts_at       TIMESTAMPTZ NOT NULL,
    ends_at         TIMESTAMPTZ NOT NULL,
    all_day         BOOLEAN NOT NULL,
    start_date      DATE,
    end_date        DATE,
    timezone        TEXT NOT NULL,
    rrule           TEXT,
    series_ends_at  TIMESTAMPTZ NOT NULL,
    sequence        INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- Identity for iCalendar: one event per UID per user. Serves the import's
    -- update-by-UID lookup (`WHERE user_id = $1 AND uid = ANY($2)`), the feed and
    -- the export (`WHERE user_id = $1`), and the user_id prefix for every other query.
    CONSTRAINT uq_events_user_id_uid UNIQUE (user_id, uid)
);
-- Serves the range query and the dashboard agenda: candidates overlapping a window,
-- `WHERE user_id = $1 AND series_ends_at > $from AND starts_at < $to`: a range scan on
-- series_ends_at with starts_at checked inside the index (no sequential scan, R10).
CREATE INDEX idx_events_user_id_series_ends_at_starts_at
    ON calendar.events (user_id, series_ends_at, starts_at);

-- Cancelled occurrences of a series (EXDATE), by the occurrence's start.
CREATE TABLE calendar.event_exceptions (
    id                UUID PRIMARY KEY,
    user_id           UUID NOT NULL,
    event_id          UUID NOT NULL REFERENCES calendar.events (id),
    occurrence_start  TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    -- An occurrence is cancelled once. Serves loading the exceptions of the events
    -- a query returned (`WHERE user_id = $1 AND event_id = ANY($2)`) and of one event.
    CONSTRAINT uq_event_exceptions_user_id_event_id_occurrence_start
        UNIQUE (user_id, event_id, occurrence_start)
);
-- Serves the foreign key's checks when an event is deleted.
CREATE INDEX idx_event_exceptions_event_id ON calendar.event_exceptions (event_id);

-- The secret token of the user's ICS feed URL: one per user, SHA-256 of the secret.
CREATE TABLE calendar.feed_tokens (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL,
    token_hash  BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    -- One token per user (a rotation replaces it). Serves the feed's lookup
    -- (`WHERE user_id = $1 AND token_hash = $2`) and the rotation's upsert.
    CONSTRAINT uq_feed_tokens_user_id UNIQUE (user_id)
);
