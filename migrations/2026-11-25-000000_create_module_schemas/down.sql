DROP SCHEMA calendar;
DROP SCHEMA reminders;
DROP SCHEMA finances;
DROP SCHEMA users;
DROP SCHEMA auth;
