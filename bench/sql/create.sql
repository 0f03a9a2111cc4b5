-- POST /api/v1/finances/transactions (with a category name): one transaction
-- that makes sure the category exists, reads it, and inserts the row.
\set n random(1, :nusers)
\set day random(0, 27)
BEGIN;
INSERT INTO "finances"."categories" ("id", "user_id", "name", "name_key", "created_at", "updated_at") VALUES (gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid, 'Groceries', 'groceries', now(), now()) ON CONFLICT ("user_id", "name_key") DO NOTHING RETURNING "finances"."categories"."id", "finances"."categories"."user_id", "finances"."categories"."name", "finances"."categories"."created_at", "finances"."categories"."updated_at";
SELECT "finances"."categories"."id" AS cat_id, "finances"."categories"."user_id", "finances"."categories"."name", "finances"."categories"."created_at", "finances"."categories"."updated_at" FROM "finances"."categories" WHERE (("finances"."categories"."user_id" = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid) AND ("finances"."categories"."name_key" = ANY('{groceries}'::text[])))
\gset
INSERT INTO "finances"."transactions" ("id", "user_id", "kind", "amount", "occurred_on", "category_id", "description", "external_id", "created_at", "updated_at") VALUES (gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid, 'expense', 12.50, current_date - :day::int, :cat_id::uuid, 'bench', NULL, now(), now());
COMMIT;
