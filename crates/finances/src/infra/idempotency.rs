//! `finances.idempotency_keys`: the [`IdempotencyStore`] of this module.
//! Module-agnostic apart from the table it names (meant to move to `kernel`,
//! parameterised by the owning schema's table).

use super::schema::idempotency_keys::dsl as k;
use crate::application::idempotency::{
    Claim, Fingerprint, IdempotencyKey, IdempotencyStore, IdempotentRequest, StoredResponse,
};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use kernel::infra::tx_conn;
use kernel::{RepoError, Tx, UserId};

const PENDING: &str = "pending";
const COMPLETED: &str = "completed";

/// Idempotency keys in PostgreSQL.
#[derive(Clone, Debug, Default)]
pub struct PgIdempotencyStore;

impl PgIdempotencyStore {
    /// The store (it works on the caller's transaction only).
    pub fn new() -> Self {
        Self
    }
}

type Stored = (
    Vec<u8>,
    String,
    Option<i32>,
    Option<String>,
    Option<Vec<u8>>,
);

#[async_trait::async_trait]
impl IdempotencyStore for PgIdempotencyStore {
    async fn claim(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        request: &IdempotentRequest,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<Claim, RepoError> {
        let conn = tx_conn(tx)?;
        let uid = user_id.as_uuid();
        diesel::delete(
            k::idempotency_keys.filter(k::user_id.eq(uid).and(k::created_at.lt(expired_before))),
        )
        .execute(&mut *conn)
        .await?;
        // A row the claim skipped may vanish before it is read (a concurrent
        // purge); claim again then.
        for _ in 0..3 {
            let claimed = diesel::insert_into(k::idempotency_keys)
                .values((
                    k::id.eq(kernel::ids::new_id()),
                    k::user_id.eq(uid),
                    k::key.eq(request.key.as_str()),
                    k::fingerprint.eq(request.fingerprint.0.as_slice()),
                    k::status.eq(PENDING),
                    k::created_at.eq(now),
                    k::updated_at.eq(now),
                ))
                .on_conflict((k::user_id, k::key))
                .do_nothing()
                .execute(&mut *conn)
                .await?;
            if claimed == 1 {
                return Ok(Claim::Claimed);
            }
            let stored: Option<Stored> = k::idempotency_keys
                .filter(k::user_id.eq(uid).and(k::key.eq(request.key.as_str())))
                .select((
                    k::fingerprint,
                    k::status,
                    k::response_status,
                    k::response_location,
                    k::response_body,
                ))
                .first(&mut *conn)
                .await
                .optional()?;
            let Some((fingerprint, status, code, location, body)) = stored else {
                continue;
            };
            let fingerprint: [u8; 32] = fingerprint.try_into().map_err(|_| {
                RepoError::Other(anyhow::anyhow!(
                    "stored idempotency fingerprint is not 32 bytes"
                ))
            })?;
            let response = match (status.as_str(), code, body) {
                (COMPLETED, Some(code), Some(body)) => Some(StoredResponse {
                    status: u16::try_from(code).map_err(|e| RepoError::Other(e.into()))?,
                    location,
                    body,
                }),
                _ => None,
            };
            return Ok(Claim::Existing {
                fingerprint: Fingerprint(fingerprint),
                response,
            });
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
        diesel::update(
            k::idempotency_keys.filter(
                k::user_id
                    .eq(user_id.as_uuid())
                    .and(k::key.eq(key.as_str())),
            ),
        )
        .set((
            k::status.eq(COMPLETED),
            k::response_status.eq(i32::from(response.status)),
            k::response_location.eq(response.location.as_deref()),
            k::response_body.eq(response.body.as_slice()),
            k::updated_at.eq(now),
        ))
        .execute(tx_conn(tx)?)
        .await?;
        Ok(())
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(k::idempotency_keys.filter(k::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(deleted as u64)
    }
}
