-- One schema per module (RULES R4). `dashboard` owns no tables, so it has no schema.
CREATE SCHEMA auth;
CREATE SCHEMA users;
CREATE SCHEMA finances;
CREATE SCHEMA reminders;
CREATE SCHEMA calendar;
