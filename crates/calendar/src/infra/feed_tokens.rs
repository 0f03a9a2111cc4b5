//! `calendar.feed_tokens`.

use super::schema::feed_tokens::dsl as f;
use crate::application::FeedTokenRepo;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, tx_conn};
use kernel::{RepoError, Tx, UserId};

/// Feed tokens in PostgreSQL.
#[derive(Clone)]
pub struct PgFeedTokens {
    pool: DbPool,
}

impl PgFeedTokens {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

#[async_trait::async_trait]
impl FeedTokenRepo for PgFeedTokens {
    async fn replace(
        &self,
        user_id: UserId,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let mut db = Db::Pool(&self.pool);
        diesel::insert_into(f::feed_tokens)
            .values((
                f::id.eq(kernel::ids::new_id()),
                f::user_id.eq(user_id.as_uuid()),
                f::token_hash.eq(token_hash),
                f::created_at.eq(now),
                f::updated_at.eq(now),
            ))
            .on_conflict(f::user_id)
            .do_update()
            .set((
                f::token_hash.eq(excluded(f::token_hash)),
                f::updated_at.eq(excluded(f::updated_at)),
            ))
            .execute(&mut *db.conn().await?)
            .await?;
        Ok(())
    }

    async fn verify(&self, user_id: UserId, token_hash: &[u8]) -> Result<bool, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let found: i64 = f::feed_tokens
            .filter(
                f::user_id
                    .eq(user_id.as_uuid())
                    .and(f::token_hash.eq(token_hash)),
            )
            .count()
            .get_result(&mut *db.conn().await?)
            .await?;
        Ok(found == 1)
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let n = diesel::delete(f::feed_tokens.filter(f::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(n as u64)
    }
}
