//! The pool of `AsyncPgConnection`s and the [`Db`] handle repositories take.

use crate::error::RepoError;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Hook, HookError, Object, Pool, PoolError};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, PoolError as PoolManagerError, RecyclingMethod,
};
use std::ops::{Deref, DerefMut};
use std::time::Duration;

/// The process's pool of PostgreSQL connections (deadpool over diesel-async).
pub type DbPool = Pool<AsyncPgConnection>;

/// How the pool behaves.
#[derive(Clone, Copy, Debug)]
pub struct PoolOptions {
    /// Most connections open at once.
    pub max_size: usize,
    /// How long to wait for a free connection, to open one, or to check one, before failing with 503.
    pub acquire_timeout: Duration,
}

/// A pooled connection unused for this long is pinged before it is handed
/// out again; one in steady use is not (see [`build_pool`]).
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(5);

/// Builds a pool. Connections open lazily: this never touches the network.
///
/// Recycling is `Fast`: a connection whose socket closed or whose transaction
/// broke is dropped without a round trip, which is what a PostgreSQL restart
/// leaves behind. Only a connection idle for [`PING_WHEN_IDLE_FOR`] is
/// verified with `SELECT 1` (bounded by the acquire timeout) first, to catch
/// a peer that vanished silently; the round trip every checkout used to cost
/// is saved where it matters, under load.
pub fn build_pool(url: &str, options: PoolOptions) -> anyhow::Result<DbPool> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    let timeout = Some(options.acquire_timeout);
    let ping_timeout = options.acquire_timeout;
    Ok(Pool::builder(manager)
        .max_size(options.max_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(timeout)
        .create_timeout(timeout)
        .recycle_timeout(timeout)
        .pre_recycle(Hook::async_fn(move |conn, metrics| {
            Box::pin(async move {
                if metrics.last_used() < PING_WHEN_IDLE_FOR {
                    return Ok(());
                }
                match tokio::time::timeout(ping_timeout, ping(conn)).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(HookError::Backend(PoolManagerError::QueryError(e))),
                    Err(_) => Err(HookError::message("idle connection did not answer a ping")),
                }
            })
        }))
        .build()?)
}

/// One round trip: `SELECT 1`.
async fn ping(conn: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    use diesel::IntoSql;
    use diesel_async::RunQueryDsl;
    diesel::select(1_i32.into_sql::<diesel::sql_types::Integer>())
        .get_result::<i32>(conn)
        .await
        .map(|_| ())
}

/// The pool's numbers, for `/metrics`.
#[cfg(feature = "http")]
pub fn pool_status(pool: &DbPool) -> crate::http::PoolStatus {
    let status = pool.status();
    crate::http::PoolStatus {
        max_size: status.max_size,
        size: status.size,
        idle: status.available,
        waiting: status.waiting,
    }
}

/// Where a repository gets its connection: the pool, or a connection that is
/// already inside the caller's transaction (so several repositories, even of
/// several modules, can write in one transaction).
pub enum Db<'a> {
    /// Take a connection from the pool for this call.
    Pool(&'a DbPool),
    /// Use this connection (typically inside `transaction(...)`).
    Conn(&'a mut AsyncPgConnection),
}

impl std::fmt::Debug for Db<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pool(_) => "Db::Pool",
            Self::Conn(_) => "Db::Conn",
        })
    }
}

impl<'a> From<&'a DbPool> for Db<'a> {
    fn from(pool: &'a DbPool) -> Self {
        Self::Pool(pool)
    }
}

impl<'a> From<&'a mut AsyncPgConnection> for Db<'a> {
    fn from(conn: &'a mut AsyncPgConnection) -> Self {
        Self::Conn(conn)
    }
}

impl Db<'_> {
    /// A connection to run statements on.
    pub async fn conn(&mut self) -> Result<DbConn<'_>, RepoError> {
        match self {
            Self::Pool(pool) => Ok(DbConn::Pooled(pool.get().await.map_err(pool_error)?)),
            Self::Conn(conn) => Ok(DbConn::Borrowed(conn)),
        }
    }
}

/// A connection from [`Db::conn`]; derefs to `AsyncPgConnection`.
// A short-lived stack value: boxing the pooled variant would cost an allocation per query.
#[allow(clippy::large_enum_variant)]
pub enum DbConn<'a> {
    /// Returned to the pool on drop.
    Pooled(Object<AsyncPgConnection>),
    /// Borrowed from the caller.
    Borrowed(&'a mut AsyncPgConnection),
}

impl Deref for DbConn<'_> {
    type Target = AsyncPgConnection;
    fn deref(&self) -> &Self::Target {
        match self {
            Self::Pooled(conn) => conn,
            Self::Borrowed(conn) => conn,
        }
    }
}

impl DerefMut for DbConn<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Self::Pooled(conn) => conn,
            Self::Borrowed(conn) => conn,
        }
    }
}

/// A pool failure: every kind means "no database right now" (503).
pub fn pool_error(err: PoolError) -> RepoError {
    RepoError::Unavailable(anyhow::Error::new(err).context("no database connection"))
}

impl From<PoolError> for RepoError {
    fn from(err: PoolError) -> Self {
        pool_error(err)
    }
}

impl From<DieselError> for RepoError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation,
                ref info,
            ) => Self::Conflict {
                constraint: info.constraint_name().unwrap_or("unknown").to_owned(),
            },
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => Self::Unavailable(anyhow::Error::new(err)),
            DieselError::DatabaseError(_, ref info) if is_shutdown(info.message()) => {
                Self::Unavailable(anyhow::Error::new(err))
            }
            // Two transactions collided and PostgreSQL aborted one: nothing
            // was written, and the same request can succeed when retried.
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                Self::Unavailable(anyhow::Error::new(err))
            }
            DieselError::DatabaseError(_, ref info) if info.message() == "deadlock detected" => {
                Self::Unavailable(anyhow::Error::new(err))
            }
            other => Self::Other(anyhow::Error::new(other)),
        }
    }
}

/// The server said it is going away (admin shutdown, crash recovery, not yet accepting).
fn is_shutdown(message: &str) -> bool {
    message.contains("terminating connection")
        || message.contains("the database system is")
        || message.contains("connection closed")
}
