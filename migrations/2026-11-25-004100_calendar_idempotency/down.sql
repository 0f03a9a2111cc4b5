DROP TABLE calendar.idempotency_keys;
