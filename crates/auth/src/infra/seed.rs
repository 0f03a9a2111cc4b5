//! Development data: credentials for many users at once (one set-based
//! statement), for benchmarks. Never used by the running service.

use diesel::sql_types::{Array, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::RepoError;
use uuid::Uuid;

/// The login email of the seeded user `user_id`.
pub fn seed_email(user_id: Uuid) -> String {
    format!("seed-{user_id}@example.com")
}

/// Inserts one credential per user of `users`, each with `password_hash` and
/// the email [`seed_email`] gives. Returns the rows inserted.
pub async fn seed_credentials(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    password_hash: &str,
) -> Result<usize, RepoError> {
    let inserted = diesel::sql_query(
        "INSERT INTO auth.credentials (id, user_id, email, password_hash, created_at, updated_at) \
         SELECT gen_random_uuid(), u.user_id, 'seed-' || u.user_id::text || '@example.com', $2, \
                now() - interval '3 years', now() - interval '3 years' \
         FROM unnest($1) AS u(user_id)",
    )
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<Text, _>(password_hash)
    .execute(conn)
    .await?;
    Ok(inserted)
}
