//! The PostgreSQL [`Transactor`] and the way infra layers reach the connection
//! behind a [`Tx`].

use super::db::{DbPool, pool_error};
use crate::error::{ApiError, RepoError};
use crate::tx::{Transactor, Tx, TxWork};
use diesel_async::{AsyncConnection as _, AsyncPgConnection};

/// Runs transactions on a pool connection.
#[derive(Clone)]
pub struct PgTransactor {
    pool: DbPool,
}

impl PgTransactor {
    /// A transactor over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

enum TxError {
    App(ApiError),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for TxError {
    fn from(err: diesel::result::Error) -> Self {
        Self::Db(err)
    }
}

#[async_trait::async_trait]
impl Transactor for PgTransactor {
    async fn run<'a>(&'a self, work: TxWork<'a>) -> Result<(), ApiError> {
        let mut conn = self
            .pool
            .get()
            .await
            .map_err(|e| ApiError::from(pool_error(e)))?;
        // Deref to the connection itself: infra layers downcast to `AsyncPgConnection`.
        let conn: &mut AsyncPgConnection = &mut conn;
        conn.transaction(async move |c| work(Tx::new(c)).await.map_err(TxError::App))
            .await
            .map_err(|err| match err {
                TxError::App(e) => e,
                TxError::Db(e) => ApiError::from(RepoError::from(e)),
            })
    }
}

/// The PostgreSQL connection behind a transaction handle.
pub fn tx_conn<'t>(tx: &'t mut Tx<'_>) -> Result<&'t mut AsyncPgConnection, RepoError> {
    tx.downcast::<AsyncPgConnection>().ok_or_else(|| {
        RepoError::Other(anyhow::anyhow!(
            "the transaction is not a PostgreSQL connection"
        ))
    })
}
