DROP TABLE reminders.idempotency_keys;
