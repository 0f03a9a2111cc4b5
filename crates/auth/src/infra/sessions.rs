//! `auth.sessions`.

use super::db_err;
use super::schema::sessions::dsl as s;
use crate::application::{CreatedKey, NewSession, SessionRepo};
use crate::domain::Session;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, tx_conn};
use kernel::pagination::PageRequest;
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Sessions in PostgreSQL.
#[derive(Clone)]
pub struct PgSessions {
    pool: DbPool,
}

impl PgSessions {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

type Columns = (
    s::id,
    s::user_id,
    s::user_agent,
    s::ip,
    s::created_at,
    s::last_used_at,
    s::expires_at,
    s::revoked_at,
);
const COLUMNS: Columns = (
    s::id,
    s::user_id,
    s::user_agent,
    s::ip,
    s::created_at,
    s::last_used_at,
    s::expires_at,
    s::revoked_at,
);

#[derive(Queryable)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    user_agent: Option<String>,
    ip: Option<String>,
    created_at: DateTime<Utc>,
    last_used_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<Row> for Session {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            user_id: UserId::from_uuid(r.user_id),
            user_agent: r.user_agent,
            ip: r.ip,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[async_trait::async_trait]
impl SessionRepo for PgSessions {
    async fn insert(&self, tx: &mut Tx<'_>, new: &NewSession<'_>) -> Result<(), RepoError> {
        diesel::insert_into(s::sessions)
            .values((
                s::id.eq(new.id),
                s::user_id.eq(new.user_id.as_uuid()),
                s::refresh_hash.eq(new.refresh_hash),
                s::user_agent.eq(new.user_agent),
                s::ip.eq(new.ip),
                s::last_used_at.eq(new.now),
                s::expires_at.eq(new.expires_at),
                s::created_at.eq(new.now),
                s::updated_at.eq(new.now),
            ))
            .execute(tx_conn(tx)?)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn get(&self, user_id: UserId, id: Uuid) -> Result<Option<Session>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let row = s::sessions
            .filter(s::user_id.eq(user_id.as_uuid()).and(s::id.eq(id)))
            .select(COLUMNS)
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()
            .map_err(db_err)?;
        Ok(row.map(Session::from))
    }

    async fn rotate(
        &self,
        user_id: UserId,
        id: Uuid,
        old_hash: &[u8],
        new_hash: &[u8],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        let mut db = Db::Pool(&self.pool);
        // One conditional statement: of two racing refreshes with the same
        // token, exactly one matches the current hash.
        let updated = diesel::update(
            s::sessions.filter(
                s::user_id
                    .eq(user_id.as_uuid())
                    .and(s::id.eq(id))
                    .and(s::refresh_hash.eq(old_hash))
                    .and(s::revoked_at.is_null())
                    .and(s::expires_at.gt(now)),
            ),
        )
        .set((
            s::refresh_hash.eq(new_hash),
            s::last_used_at.eq(now),
            s::expires_at.eq(expires_at),
            s::updated_at.eq(now),
        ))
        .execute(&mut *db.conn().await?)
        .await
        .map_err(db_err)?;
        Ok(updated == 1)
    }

    async fn revoke(
        &self,
        user_id: UserId,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let updated = diesel::update(
            s::sessions.filter(
                s::user_id
                    .eq(user_id.as_uuid())
                    .and(s::id.eq(id))
                    .and(s::revoked_at.is_null()),
            ),
        )
        .set((s::revoked_at.eq(now), s::updated_at.eq(now)))
        .execute(&mut *db.conn().await?)
        .await
        .map_err(db_err)?;
        Ok(updated == 1)
    }

    async fn revoke_others(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        keep: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        let keep = keep.unwrap_or(Uuid::nil());
        let updated = diesel::update(
            s::sessions.filter(
                s::user_id
                    .eq(user_id.as_uuid())
                    .and(s::id.ne(keep))
                    .and(s::revoked_at.is_null()),
            ),
        )
        .set((s::revoked_at.eq(now), s::updated_at.eq(now)))
        .execute(tx_conn(tx)?)
        .await
        .map_err(db_err)?;
        Ok(updated as u64)
    }

    async fn list_active(
        &self,
        user_id: UserId,
        now: DateTime<Utc>,
        page: &PageRequest<CreatedKey>,
    ) -> Result<Vec<Session>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let mut query = s::sessions
            .filter(
                s::user_id
                    .eq(user_id.as_uuid())
                    .and(s::revoked_at.is_null())
                    .and(s::expires_at.gt(now)),
            )
            .select(COLUMNS)
            .order((s::created_at.desc(), s::id.desc()))
            .limit(page.fetch_limit())
            .into_boxed();
        if let Some((at, id)) = page.after {
            query = query.filter(
                s::created_at
                    .lt(at)
                    .or(s::created_at.eq(at).and(s::id.lt(id))),
            );
        }
        let rows = query
            .load::<Row>(&mut *db.conn().await?)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(Session::from).collect())
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(s::sessions.filter(s::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await
            .map_err(db_err)?;
        Ok(deleted as u64)
    }
}
