-- The finances module (RULES R6: id, user_id, timestamps on every table).
-- Vocabularies (kind), money limits and text lengths are checked by the
-- application, not here (RULES R3). Amounts are NUMERIC(14,2): exact, never a float.

-- A user's categories. `name` is shown as written; `name_key` is its Unicode
-- lowercase, computed by the application, and is what makes names unique per
-- user regardless of case.
CREATE TABLE finances.categories (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- Identity: one category per name per user. Also serves the category list
    -- (`WHERE user_id = $1 AND (name_key, id) > cursor ORDER BY name_key, id`),
    -- the lookup by name (`WHERE user_id = $1 AND name_key = $2`) and every
    -- other `WHERE user_id = $1` statement on categories.
    CONSTRAINT uq_categories_user_id_name_key UNIQUE (user_id, name_key),
    -- Target of the owner-consistent foreign keys below (a transaction or a
    -- budget can only point at a category of the same user); serves
    -- `WHERE user_id = $1 AND id = $2`.
    CONSTRAINT uq_categories_user_id_id UNIQUE (user_id, id)
);

CREATE TABLE finances.transactions (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL,
    kind        TEXT NOT NULL,
    amount      NUMERIC(14, 2) NOT NULL,
    occurred_on DATE NOT NULL,
    category_id UUID,
    description TEXT,
    external_id TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT fk_transactions_category FOREIGN KEY (user_id, category_id)
        REFERENCES finances.categories (user_id, id),
    -- Identity: the bank's id is unique per user (NULLs never clash). Serves
    -- the import's lookup of already imported rows
    -- (`WHERE user_id = $1 AND external_id = ANY($2)`) and its
    -- `ON CONFLICT (user_id, external_id) DO NOTHING`.
    CONSTRAINT uq_transactions_user_id_external_id UNIQUE (user_id, external_id)
);

-- The user_id index (RULES R10), laid out in the list's order: serves the
-- transaction list and the CSV export with no filter or with any of `from`,
-- `to`, `q`, `min_amount`, `max_amount`
-- (`WHERE user_id = $1 [AND occurred_on BETWEEN $from AND $to] [AND description ILIKE $q]
--  [AND amount BETWEEN ...] AND (occurred_on, id) < cursor ORDER BY occurred_on DESC, id DESC LIMIT n`),
-- the other filters being checked on the rows it yields in order; by id
-- lookups and every other `WHERE user_id = $1` statement (account deletion).
CREATE INDEX idx_transactions_user_id
    ON finances.transactions (user_id, occurred_on DESC, id DESC);

-- Serves the list and export filtered by kind (`WHERE user_id = $1 AND kind = $2
-- ... ORDER BY occurred_on DESC, id DESC`), alone or combined with the filters above.
CREATE INDEX idx_transactions_user_id_kind_occurred_on_id
    ON finances.transactions (user_id, kind, occurred_on DESC, id DESC);

-- Serves the list and export filtered by category (`WHERE user_id = $1 AND
-- category_id = $2 ... ORDER BY occurred_on DESC, id DESC`), alone or combined
-- with the other filters; the "is this category used" check and the reassignment
-- on category deletion (`WHERE user_id = $1 AND category_id = $2`); and the
-- foreign key's checks when a category is deleted.
CREATE INDEX idx_transactions_user_id_category_id_occurred_on_id
    ON finances.transactions (user_id, category_id, occurred_on DESC, id DESC);

-- Serves the summary and the dashboard (`WHERE user_id = $1 AND occurred_on
-- BETWEEN $from AND $to GROUP BY category_id, kind` with `SUM(amount)`) and the
-- budgets' spending (`... AND kind = 'expense' AND category_id = ANY($3)`)
-- as index-only scans: the range is the index condition, the summed columns
-- are carried in the index.
CREATE INDEX idx_transactions_user_id_occurred_on_summary
    ON finances.transactions (user_id, occurred_on) INCLUDE (kind, category_id, amount);

-- A monthly spending limit per category. `month` is the month's first day.
CREATE TABLE finances.budgets (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL,
    category_id  UUID NOT NULL,
    month        DATE NOT NULL,
    limit_amount NUMERIC(14, 2) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT fk_budgets_category FOREIGN KEY (user_id, category_id)
        REFERENCES finances.categories (user_id, id),
    -- Identity: one limit per category per month. Serves the upsert
    -- (`ON CONFLICT (user_id, category_id, month)`), the deletion of a
    -- category's budgets (`WHERE user_id = $1 AND category_id = $2`) and the
    -- foreign key's checks.
    CONSTRAINT uq_budgets_user_id_category_id_month UNIQUE (user_id, category_id, month)
);
-- Serves the budget list of a month (`WHERE user_id = $1 AND month = $2`,
-- joined to categories and ordered by name) and the export of all budgets
-- (`WHERE user_id = $1 AND id > cursor ORDER BY id`: filtered by user_id prefix).
CREATE INDEX idx_budgets_user_id_month ON finances.budgets (user_id, month);

-- Idempotency-Key of POST creates: the key is claimed inside the create's
-- transaction (INSERT ... ON CONFLICT DO NOTHING), the response stored with it.
CREATE TABLE finances.idempotency_keys (
    id              UUID PRIMARY KEY,
    user_id         UUID NOT NULL,
    key             TEXT NOT NULL,
    fingerprint     BYTEA NOT NULL,
    status          TEXT NOT NULL,
    response_status INTEGER,
    response_location TEXT,
    response_body   BYTEA,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- Identity: a key per user. Serves the claim (`ON CONFLICT (user_id, key)`),
    -- the lookup (`WHERE user_id = $1 AND key = $2`) and the purge of the
    -- user's expired keys (`WHERE user_id = $1 AND created_at < $2`, by user_id prefix).
    CONSTRAINT uq_idempotency_keys_user_id_key UNIQUE (user_id, key)
);
