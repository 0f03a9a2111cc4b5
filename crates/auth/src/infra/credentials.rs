//! `auth.credentials`.

use super::db_err;
use super::schema::credentials::dsl as c;
use crate::application::{CredentialRepo, NewCredential};
use crate::domain::{Credential, Email};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, tx_conn};
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Credentials in PostgreSQL.
#[derive(Clone)]
pub struct PgCredentials {
    pool: DbPool,
}

impl PgCredentials {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable)]
struct Row {
    user_id: Uuid,
    email: String,
    password_hash: String,
}

impl Row {
    fn into_domain(self) -> Result<Credential, RepoError> {
        Ok(Credential {
            user_id: UserId::from_uuid(self.user_id),
            email: Email::parse(&self.email)
                .map_err(|e| RepoError::Other(anyhow::anyhow!("stored email is invalid: {e}")))?,
            password_hash: self.password_hash,
        })
    }
}

#[async_trait::async_trait]
impl CredentialRepo for PgCredentials {
    async fn insert(&self, tx: &mut Tx<'_>, new: &NewCredential<'_>) -> Result<(), RepoError> {
        diesel::insert_into(c::credentials)
            .values((
                c::id.eq(new.id),
                c::user_id.eq(new.user_id.as_uuid()),
                c::email.eq(new.email.as_str()),
                c::password_hash.eq(new.password_hash),
                c::created_at.eq(new.now),
                c::updated_at.eq(new.now),
            ))
            .execute(tx_conn(tx)?)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn find_by_email(&self, email: &Email) -> Result<Option<Credential>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        c::credentials
            .filter(c::email.eq(email.as_str()))
            .select((c::user_id, c::email, c::password_hash))
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()
            .map_err(db_err)?
            .map(Row::into_domain)
            .transpose()
    }

    async fn find(&self, user_id: UserId) -> Result<Option<Credential>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        c::credentials
            .filter(c::user_id.eq(user_id.as_uuid()))
            .select((c::user_id, c::email, c::password_hash))
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()
            .map_err(db_err)?
            .map(Row::into_domain)
            .transpose()
    }

    async fn set_hash(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let updated = diesel::update(c::credentials.filter(c::user_id.eq(user_id.as_uuid())))
            .set((c::password_hash.eq(hash), c::updated_at.eq(now)))
            .execute(tx_conn(tx)?)
            .await
            .map_err(db_err)?;
        if updated == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(c::credentials.filter(c::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await
            .map_err(db_err)?;
        Ok(deleted as u64)
    }
}
