//! Development data: profiles for many users at once (one set-based
//! statement), for benchmarks. Never used by the running service.

use diesel::sql_types::{Array, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::RepoError;
use uuid::Uuid;

/// Inserts one profile per user of `users`, in the time zone of `timezones`
/// at the same position (cycling), with varied names, currencies, locales and
/// week starts. Returns the rows inserted.
pub async fn seed_profiles(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    timezones: &[String],
) -> Result<usize, RepoError> {
    let inserted = diesel::sql_query(
        "INSERT INTO users.profiles \
           (id, user_id, display_name, timezone, currency, locale, week_start, created_at, updated_at) \
         SELECT gen_random_uuid(), u.user_id, \
                (ARRAY['Alex','Sam','Maria','Jonas','Aiko','Priya','Lucas','Emma'])[1 + u.n % 8] || ' ' || u.n, \
                ($2)[1 + mod(u.n - 1, cardinality($2))], \
                (ARRAY['EUR','USD','EUR','JPY','BRL'])[1 + u.n % 5], \
                (ARRAY['de-DE','en-US','pt-PT','ja-JP','pt-BR'])[1 + u.n % 5], \
                CASE WHEN u.n % 5 = 1 THEN 'sunday' ELSE 'monday' END, \
                now() - interval '3 years', now() - interval '3 years' \
         FROM unnest($1) WITH ORDINALITY AS u(user_id, n)",
    )
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<Array<Text>, _>(timezones)
    .execute(conn)
    .await?;
    Ok(inserted)
}
