-- GET /api/v1/finances/summary?month=…: the user's time zone (users), then the
-- month's totals (finances), as the API runs them.
\set n random(1, :nusers)
SELECT "users"."profiles"."user_id", "users"."profiles"."display_name", "users"."profiles"."timezone", "users"."profiles"."currency", "users"."profiles"."locale", "users"."profiles"."week_start", "users"."profiles"."created_at", "users"."profiles"."updated_at" FROM "users"."profiles" WHERE ("users"."profiles"."user_id" = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid) LIMIT 1;
SELECT c.name AS category, t.kind AS kind, SUM(t.amount) AS total FROM finances.transactions t LEFT JOIN finances.categories c ON c.user_id = t.user_id AND c.id = t.category_id WHERE t.user_id = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid AND t.occurred_on BETWEEN :month_from::date AND :month_to::date GROUP BY t.category_id, c.name, t.kind;
