-- Reminders (RULES R6: id, user_id, timestamps). Vocabularies (priority,
-- status, repeat_from) and the rule text are checked by the application, not
-- here (RULES R3).
--
-- A recurring reminder carries its series: `rrule` (canonical RFC 5545 value),
-- `repeat_from` (due/completion), `dtstart` (the series' first occurrence,
-- from which occurrences and COUNT are computed) and `scheduled_at` (the
-- current occurrence on the original schedule). `due_at` equals
-- `scheduled_at` unless a snooze moved it. The four are NULL together on a
-- one-off reminder.
CREATE TABLE reminders.reminders (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL,
    title        TEXT NOT NULL,
    notes        TEXT,
    due_at       TIMESTAMPTZ NOT NULL,
    priority     TEXT NOT NULL,
    status       TEXT NOT NULL,
    completed_at TIMESTAMPTZ,
    rrule        TEXT,
    repeat_from  TEXT,
    dtstart      TIMESTAMPTZ,
    scheduled_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- Serves the reminder list without a status filter, keyset-paged in its order
-- (`WHERE user_id = $1 [AND due_at >= $from AND due_at < $to] [AND priority = $p]
--  AND (due_at, id) > cursor ORDER BY due_at, id LIMIT n`), and every other
-- `WHERE user_id = $1` statement (the priority filter is applied to the rows
-- this index yields in order).
CREATE INDEX idx_reminders_user_id_due_at_id
    ON reminders.reminders (user_id, due_at, id);

-- Serves the status-filtered list (`WHERE user_id = $1 AND status = $2 ...
-- ORDER BY due_at, id`), the overdue list and the dashboard's overdue count
-- (`status = 'pending' AND due_at < now`), and the dashboard's next pending
-- reminders (`status = 'pending' AND due_at >= now ORDER BY due_at, id LIMIT n`).
CREATE INDEX idx_reminders_user_id_status_due_at_id
    ON reminders.reminders (user_id, status, due_at, id);
