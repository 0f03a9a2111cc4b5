DROP TABLE reminders.reminders;
