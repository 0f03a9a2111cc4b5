DROP TABLE finances.idempotency_keys;
DROP TABLE finances.budgets;
DROP TABLE finances.transactions;
DROP TABLE finances.categories;
