//! The PostgreSQL [`IdempotencyStore`]: the owning module's
//! `<schema>.idempotency_keys` table.
//!
//! Every module that accepts `Idempotency-Key` keeps an identically shaped
//! table in its own schema (RULES R4, R6), created by its own migration:
//!
//! ```sql
//! CREATE TABLE <schema>.idempotency_keys (
//!     id UUID PRIMARY KEY, user_id UUID NOT NULL, key TEXT NOT NULL,
//!     fingerprint BYTEA NOT NULL, status TEXT NOT NULL,
//!     response_status INTEGER, response_location TEXT, response_body BYTEA,
//!     created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
//!     CONSTRAINT uq_idempotency_keys_user_id_key UNIQUE (user_id, key)
//! );
//! ```
//!
//! Diesel's `table!` cannot name a schema chosen by the caller, so the
//! statements are `sql_query`s: the table name comes from the module's
//! [`OwningSchema::NAME`] (a constant, checked to be `[a-z_]+` when the store
//! is built, at compile time), every value is a bound parameter, and every
//! statement filters by (or, for the claim, writes) the user's id (RULES R7).

use crate::error::RepoError;
use crate::idempotency::{
    Claim, Fingerprint, IdempotencyKey, IdempotencyStore, IdempotentRequest, StoredResponse,
};
use crate::ids::UserId;
use crate::infra::tx_conn;
use crate::tx::Tx;
use chrono::{DateTime, Utc};
use diesel::OptionalExtension as _;
use diesel::QueryableByName;
use diesel::sql_types::{Bytea, Integer, Nullable, Text, Timestamptz, Uuid};
use diesel_async::RunQueryDsl;
use std::marker::PhantomData;

const PENDING: &str = "pending";
const COMPLETED: &str = "completed";

/// The module that owns an `idempotency_keys` table: names its schema.
///
/// A name that is not `[a-z_]+` stops the build where the store is created:
///
/// ```compile_fail
/// use kernel::infra::{OwningSchema, PgIdempotencyStore};
/// struct Bad;
/// impl OwningSchema for Bad {
///     const NAME: &'static str = "bad; DROP TABLE x";
/// }
/// let _ = PgIdempotencyStore::<Bad>::new();
/// ```
pub trait OwningSchema: Send + Sync + 'static {
    /// The schema, `[a-z_]+` (a store over any other name does not compile).
    const NAME: &'static str;
}

/// Whether `name` is a non-empty `[a-z_]+` (safe to splice into SQL as an identifier).
pub const fn is_schema_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_lowercase() || bytes[i] == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

/// Idempotency keys in `S::NAME.idempotency_keys`. It works on the caller's
/// transaction only, so it holds no pool.
pub struct PgIdempotencyStore<S: OwningSchema> {
    schema: PhantomData<fn() -> S>,
}

impl<S: OwningSchema> PgIdempotencyStore<S> {
    /// Evaluated (at compile time) by [`Self::new`].
    const VALID_SCHEMA: () = assert!(
        is_schema_name(S::NAME),
        "an OwningSchema::NAME must be [a-z_]+"
    );

    /// The store of `S`'s schema.
    pub const fn new() -> Self {
        let () = Self::VALID_SCHEMA;
        Self {
            schema: PhantomData,
        }
    }

    /// `<schema>.idempotency_keys`.
    fn table() -> String {
        format!("{}.idempotency_keys", S::NAME)
    }
}

impl<S: OwningSchema> Default for PgIdempotencyStore<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: OwningSchema> Clone for PgIdempotencyStore<S> {
    fn clone(&self) -> Self {
        Self::new()
    }
}

impl<S: OwningSchema> std::fmt::Debug for PgIdempotencyStore<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgIdempotencyStore({})", Self::table())
    }
}

/// A key's stored request and response.
#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = Bytea)]
    fingerprint: Vec<u8>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Integer>)]
    response_status: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    response_location: Option<String>,
    #[diesel(sql_type = Nullable<Bytea>)]
    response_body: Option<Vec<u8>>,
}

impl Stored {
    fn into_claim(self) -> Result<Claim, RepoError> {
        let fingerprint: [u8; 32] = self.fingerprint.try_into().map_err(|_| {
            RepoError::Other(anyhow::anyhow!(
                "stored idempotency fingerprint is not 32 bytes"
            ))
        })?;
        let response = match (
            self.status.as_str(),
            self.response_status,
            self.response_body,
        ) {
            (COMPLETED, Some(code), Some(body)) => Some(StoredResponse {
                status: u16::try_from(code).map_err(|e| RepoError::Other(e.into()))?,
                location: self.response_location,
                body,
            }),
            _ => None,
        };
        Ok(Claim::Existing {
            fingerprint: Fingerprint(fingerprint),
            response,
        })
    }
}

#[async_trait::async_trait]
impl<S: OwningSchema> IdempotencyStore for PgIdempotencyStore<S> {
    async fn claim(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        request: &IdempotentRequest,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<Claim, RepoError> {
        let table = Self::table();
        let conn = tx_conn(tx)?;
        let uid = user_id.as_uuid();
        diesel::sql_query(format!(
            "DELETE FROM {table} WHERE user_id = $1 AND created_at < $2"
        ))
        .bind::<Uuid, _>(uid)
        .bind::<Timestamptz, _>(expired_before)
        .execute(&mut *conn)
        .await?;
        let insert = format!(
            "INSERT INTO {table} (id, user_id, key, fingerprint, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (user_id, key) DO NOTHING"
        );
        let select = format!(
            "SELECT fingerprint, status, response_status, response_location, response_body \
             FROM {table} WHERE user_id = $1 AND key = $2"
        );
        // A row the claim skipped may vanish before it is read (a concurrent
        // purge); claim again then.
        for _ in 0..3 {
            let claimed = diesel::sql_query(&insert)
                .bind::<Uuid, _>(crate::ids::new_id())
                .bind::<Uuid, _>(uid)
                .bind::<Text, _>(request.key.as_str())
                .bind::<Bytea, _>(request.fingerprint.0.as_slice())
                .bind::<Text, _>(PENDING)
                .bind::<Timestamptz, _>(now)
                .execute(&mut *conn)
                .await?;
            if claimed == 1 {
                return Ok(Claim::Claimed);
            }
            let stored: Option<Stored> = diesel::sql_query(&select)
                .bind::<Uuid, _>(uid)
                .bind::<Text, _>(request.key.as_str())
                .get_result(&mut *conn)
                .await
                .optional()?;
            if let Some(stored) = stored {
                return stored.into_claim();
            }
        }
        Err(RepoError::Other(anyhow::anyhow!(
            "idempotency key neither claimed nor found"
        )))
    }

    async fn complete(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        key: &IdempotencyKey,
        response: &StoredResponse,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        diesel::sql_query(format!(
            "UPDATE {} SET status = $3, response_status = $4, response_location = $5, \
             response_body = $6, updated_at = $7 WHERE user_id = $1 AND key = $2",
            Self::table()
        ))
        .bind::<Uuid, _>(user_id.as_uuid())
        .bind::<Text, _>(key.as_str())
        .bind::<Text, _>(COMPLETED)
        .bind::<Integer, _>(i32::from(response.status))
        .bind::<Nullable<Text>, _>(response.location.as_deref())
        .bind::<Bytea, _>(response.body.as_slice())
        .bind::<Timestamptz, _>(now)
        .execute(tx_conn(tx)?)
        .await?;
        Ok(())
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted =
            diesel::sql_query(format!("DELETE FROM {} WHERE user_id = $1", Self::table()))
                .bind::<Uuid, _>(user_id.as_uuid())
                .execute(tx_conn(tx)?)
                .await?;
        Ok(deleted as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_lowercase_letters_and_underscores() {
        for ok in ["finances", "reminders", "calendar", "a_b", "_"] {
            assert!(is_schema_name(ok), "{ok}");
        }
        for bad in ["", "Finances", "fin1", "a.b", "a b", "a;DROP", "a\"b", "é"] {
            assert!(!is_schema_name(bad), "{bad}");
        }
    }

    struct Calendar;
    impl OwningSchema for Calendar {
        const NAME: &'static str = "calendar";
    }

    #[test]
    fn the_table_is_in_the_owning_schema() {
        assert_eq!(
            PgIdempotencyStore::<Calendar>::table(),
            "calendar.idempotency_keys"
        );
        assert_eq!(
            format!("{:?}", PgIdempotencyStore::<Calendar>::default()),
            "PgIdempotencyStore(calendar.idempotency_keys)"
        );
    }
}
