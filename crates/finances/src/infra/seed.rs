//! Development data for benchmarks: categories, transactions spread over three
//! years and budgets for many users at once, each table filled by one
//! set-based statement (`generate_series`). Values come from a hash of
//! (user, row), so a seed is reproducible. Never used by the running service.

use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::RepoError;
use uuid::Uuid;

/// The seeded categories: ten for expenses, then two for income.
const CATEGORIES: &str = "ARRAY['Groceries','Rent','Transport','Restaurants','Utilities',\
    'Health','Entertainment','Shopping','Travel','Subscriptions','Salary','Freelance']";

/// Rows inserted by [`seed_finances`].
#[derive(Clone, Copy, Debug, Default)]
pub struct FinancesSeeded {
    /// Categories.
    pub categories: usize,
    /// Transactions.
    pub transactions: usize,
    /// Budgets.
    pub budgets: usize,
}

/// Inserts twelve categories, `per_user` transactions (about 92 % expenses,
/// rent about one in thirty,
/// dated over the last three years, varied amounts, categories and notes) and
/// a year of monthly budgets for five categories, for every user of `users`.
pub async fn seed_finances(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    per_user: i64,
) -> Result<FinancesSeeded, RepoError> {
    let categories = diesel::sql_query(format!(
        "INSERT INTO finances.categories (id, user_id, name, name_key, created_at, updated_at) \
         SELECT gen_random_uuid(), u.user_id, c.name, lower(c.name), \
                now() - interval '3 years', now() - interval '3 years' \
         FROM unnest($1) AS u(user_id) CROSS JOIN unnest({CATEGORIES}) AS c(name)"
    ))
    .bind::<Array<SqlUuid>, _>(users)
    .execute(conn)
    .await?;
    let transactions = diesel::sql_query(format!(
        "INSERT INTO finances.transactions \
           (id, user_id, kind, amount, occurred_on, category_id, description, external_id, created_at, updated_at) \
         SELECT gen_random_uuid(), s.user_id, s.kind, \
                CASE WHEN s.kind = 'income' \
                     THEN (800 + mod(s.h3, 3200))::numeric(14,2) \
                     WHEN s.cat = 2 THEN (600 + mod(s.h3, 900))::numeric(14,2) \
                     ELSE round((1.5 + 350 * power(mod(s.h3, 10000) / 10000.0, 3))::numeric, 2) END, \
                s.occurred_on, c.id, \
                CASE WHEN mod(s.h5, 10) = 0 OR s.cat IS NULL THEN NULL \
                     ELSE (ARRAY['Weekly shop','Rent','Bus pass','Dinner out','Electricity bill', \
                                 'Pharmacy','Cinema tickets','New shoes','Train tickets','Music streaming', \
                                 'Salary','Freelance invoice'])[s.cat] \
                          || (ARRAY['',' (card)',' with Ana',' - shared',' online'])[1 + mod(s.h5 / 10, 5)] END, \
                NULL, s.occurred_on + time '12:00', s.occurred_on + time '12:00' \
         FROM ( \
           SELECT u.user_id, \
                  CASE WHEN mod(h.h1, 100) < 8 THEN 'income' ELSE 'expense' END AS kind, \
                  CASE WHEN mod(h.h1 / 100, 100) < 3 THEN NULL \
                       WHEN mod(h.h1, 100) < 8 THEN 11 + mod(h.h2, 2) WHEN mod(h.h2, 30) = 0 THEN 2 \
                       ELSE (ARRAY[1, 3, 4, 5, 6, 7, 8, 9, 10])[1 + mod(h.h2, 9)] END AS cat, \
                  h.h3, h.h5, current_date - mod(h.h4, 1096)::int AS occurred_on \
           FROM unnest($1) AS u(user_id) \
           CROSS JOIN generate_series(1::bigint, $2) AS g(i) \
           CROSS JOIN LATERAL ( \
             SELECT abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 1)::bigint) AS h1, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 2)::bigint) AS h2, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 3)::bigint) AS h3, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 4)::bigint) AS h4, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 5)::bigint) AS h5 \
           ) AS h \
         ) AS s \
         LEFT JOIN finances.categories c \
           ON c.user_id = s.user_id AND c.name_key = lower(({CATEGORIES})[s.cat]) AND c.user_id = ANY($1)"
    ))
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<BigInt, _>(per_user)
    .execute(conn)
    .await?;
    let budgets = diesel::sql_query(format!(
        "INSERT INTO finances.budgets (id, user_id, category_id, month, limit_amount, created_at, updated_at) \
         SELECT gen_random_uuid(), c.user_id, c.id, \
                (date_trunc('month', current_date) - make_interval(months => m.m))::date, \
                (50 * (2 + mod(abs(hashtext(c.id::text || m.m)), 12)))::numeric(14,2), now(), now() \
         FROM finances.categories c CROSS JOIN generate_series(0, 11) AS m(m) \
         WHERE c.user_id = ANY($1) AND c.name_key = ANY(SELECT lower(n) FROM unnest(({CATEGORIES})[1:5]) AS n)"
    ))
    .bind::<Array<SqlUuid>, _>(users)
    .execute(conn)
    .await?;
    Ok(FinancesSeeded {
        categories,
        transactions,
        budgets,
    })
}
