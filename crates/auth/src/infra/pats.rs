//! `auth.personal_access_tokens`.

use super::db_err;
use super::schema::personal_access_tokens::dsl as p;
use crate::application::{CreatedKey, NewPat, PatRepo};
use crate::domain::PersonalAccessToken;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, tx_conn};
use kernel::pagination::PageRequest;
use kernel::{RepoError, Scope, Tx, UserId};
use uuid::Uuid;

/// Personal access tokens in PostgreSQL.
#[derive(Clone)]
pub struct PgPats {
    pool: DbPool,
}

impl PgPats {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

type Columns = (
    p::id,
    p::user_id,
    p::name,
    p::scope,
    p::created_at,
    p::last_used_at,
    p::expires_at,
);
const COLUMNS: Columns = (
    p::id,
    p::user_id,
    p::name,
    p::scope,
    p::created_at,
    p::last_used_at,
    p::expires_at,
);

#[derive(Queryable)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    name: String,
    scope: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
}

fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Read => "read",
        Scope::ReadWrite => "read_write",
    }
}

impl TryFrom<Row> for PersonalAccessToken {
    type Error = RepoError;
    fn try_from(r: Row) -> Result<Self, RepoError> {
        let scope = match r.scope.as_str() {
            "read" => Scope::Read,
            "read_write" => Scope::ReadWrite,
            other => {
                return Err(RepoError::Other(anyhow::anyhow!(
                    "unknown stored scope {other:?}"
                )));
            }
        };
        Ok(Self {
            id: r.id,
            user_id: UserId::from_uuid(r.user_id),
            name: r.name,
            scope,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
        })
    }
}

#[async_trait::async_trait]
impl PatRepo for PgPats {
    async fn insert(&self, tx: &mut Tx<'_>, new: &NewPat<'_>) -> Result<(), RepoError> {
        diesel::insert_into(p::personal_access_tokens)
            .values((
                p::id.eq(new.id),
                p::user_id.eq(new.user_id.as_uuid()),
                p::name.eq(new.name),
                p::scope.eq(scope_text(new.scope)),
                p::token_hash.eq(new.token_hash),
                p::expires_at.eq(new.expires_at),
                p::created_at.eq(new.now),
                p::updated_at.eq(new.now),
            ))
            .execute(tx_conn(tx)?)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn list(
        &self,
        user_id: UserId,
        page: &PageRequest<CreatedKey>,
    ) -> Result<Vec<PersonalAccessToken>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let mut query = p::personal_access_tokens
            .filter(p::user_id.eq(user_id.as_uuid()))
            .select(COLUMNS)
            .order((p::created_at.desc(), p::id.desc()))
            .limit(page.fetch_limit())
            .into_boxed();
        if let Some((at, id)) = page.after {
            query = query.filter(
                p::created_at
                    .lt(at)
                    .or(p::created_at.eq(at).and(p::id.lt(id))),
            );
        }
        query
            .load::<Row>(&mut *db.conn().await?)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(PersonalAccessToken::try_from)
            .collect()
    }

    async fn delete(&self, user_id: UserId, id: Uuid) -> Result<bool, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let deleted = diesel::delete(
            p::personal_access_tokens.filter(p::user_id.eq(user_id.as_uuid()).and(p::id.eq(id))),
        )
        .execute(&mut *db.conn().await?)
        .await
        .map_err(db_err)?;
        Ok(deleted == 1)
    }

    async fn delete_in(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<bool, RepoError> {
        let deleted = diesel::delete(
            p::personal_access_tokens.filter(p::user_id.eq(user_id.as_uuid()).and(p::id.eq(id))),
        )
        .execute(tx_conn(tx)?)
        .await
        .map_err(db_err)?;
        Ok(deleted == 1)
    }

    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<PersonalAccessToken>, RepoError> {
        p::personal_access_tokens
            .filter(p::user_id.eq(user_id.as_uuid()).and(p::id.eq(id)))
            .select(COLUMNS)
            .for_update()
            .first::<Row>(tx_conn(tx)?)
            .await
            .optional()
            .map_err(db_err)?
            .map(PersonalAccessToken::try_from)
            .transpose()
    }

    async fn use_token(
        &self,
        user_id: UserId,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<PersonalAccessToken>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        // Verify and record the use in one round trip.
        diesel::update(
            p::personal_access_tokens.filter(
                p::user_id
                    .eq(user_id.as_uuid())
                    .and(p::token_hash.eq(token_hash))
                    .and(p::expires_at.is_null().or(p::expires_at.gt(now))),
            ),
        )
        .set(p::last_used_at.eq(now))
        .returning(COLUMNS)
        .get_result::<Row>(&mut *db.conn().await?)
        .await
        .optional()
        .map_err(db_err)?
        .map(PersonalAccessToken::try_from)
        .transpose()
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted =
            diesel::delete(p::personal_access_tokens.filter(p::user_id.eq(user_id.as_uuid())))
                .execute(tx_conn(tx)?)
                .await
                .map_err(db_err)?;
        Ok(deleted as u64)
    }

    async fn get(
        &self,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<PersonalAccessToken>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        p::personal_access_tokens
            .filter(p::user_id.eq(user_id.as_uuid()).and(p::id.eq(id)))
            .select(COLUMNS)
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()
            .map_err(db_err)?
            .map(PersonalAccessToken::try_from)
            .transpose()
    }
}
