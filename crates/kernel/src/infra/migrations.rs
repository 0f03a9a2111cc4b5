//! The embedded migrations of the root `migrations/` folder (RULES R9), run
//! through diesel-async's `AsyncConnectionWrapper` so no libpq is needed.
//! The sync migration harness runs on a thread of its own, outside any async
//! runtime, so it is safe to call from any kind of runtime.

use anyhow::Context as _;
use diesel::migration::{Migration, MigrationSource};
use diesel::pg::Pg;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Every migration of the project, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

type SyncPg = AsyncConnectionWrapper<AsyncPgConnection>;

/// One migration and whether it is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationState {
    /// Version (the folder name's timestamp prefix, as Diesel records it).
    pub version: String,
    /// Folder name.
    pub name: String,
    /// Whether the database has it.
    pub applied: bool,
}

/// Versions of every embedded migration, in order.
pub fn embedded_versions() -> anyhow::Result<Vec<(String, String)>> {
    let migrations: Vec<Box<dyn Migration<Pg>>> =
        MigrationSource::<Pg>::migrations(&MIGRATIONS).map_err(|e| anyhow::anyhow!(e))?;
    Ok(migrations
        .iter()
        .map(|m| (m.name().version().to_string(), m.name().to_string()))
        .collect())
}

/// Runs `work` on a fresh synchronous connection on a dedicated thread.
async fn with_sync_conn<T, F>(url: &str, work: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut SyncPg) -> anyhow::Result<T> + Send + 'static,
{
    let url = url.to_owned();
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("migrations".into())
        .spawn(move || {
            let result = <SyncPg as diesel::Connection>::establish(&url)
                .context("connecting to run migrations")
                .and_then(|mut conn| work(&mut conn));
            let _ = tx.send(result);
        })
        .context("spawning the migration thread")?;
    rx.await.context("the migration thread died")?
}

/// Applies every pending migration; returns the versions applied.
pub async fn run_pending(url: &str) -> anyhow::Result<Vec<String>> {
    with_sync_conn(url, |conn| {
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("applying migrations: {e}"))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Reverts the most recent migration; returns its version.
pub async fn revert_last(url: &str) -> anyhow::Result<String> {
    with_sync_conn(url, |conn| {
        let version = conn
            .revert_last_migration(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("reverting the last migration: {e}"))?;
        Ok(version.to_string())
    })
    .await
}

/// Reverts every applied migration; returns the versions reverted, newest first.
pub async fn revert_all(url: &str) -> anyhow::Result<Vec<String>> {
    with_sync_conn(url, |conn| {
        let reverted = conn
            .revert_all_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("reverting migrations: {e}"))?;
        Ok(reverted.iter().map(ToString::to_string).collect())
    })
    .await
}

#[derive(diesel::QueryableByName)]
struct AppliedVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// Versions recorded as applied in the database (none when it was never migrated).
pub async fn applied_versions(conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<String>> {
    let exists: Vec<AppliedVersion> = diesel::sql_query(
        "SELECT c.relname::text AS version FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relname = '__diesel_schema_migrations'",
    )
    .load(conn)
    .await?;
    if exists.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<AppliedVersion> =
        diesel::sql_query("SELECT version FROM public.__diesel_schema_migrations ORDER BY version")
            .load(conn)
            .await?;
    Ok(rows.into_iter().map(|r| r.version).collect())
}

/// Every embedded migration with whether `conn`'s database has it.
pub async fn status(conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<MigrationState>> {
    let applied = applied_versions(conn).await?;
    Ok(embedded_versions()?
        .into_iter()
        .map(|(version, name)| MigrationState {
            applied: applied.contains(&version),
            version,
            name,
        })
        .collect())
}

/// Embedded migrations the database does not have yet.
pub async fn pending(conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<String>> {
    Ok(status(conn)
        .await?
        .into_iter()
        .filter(|m| !m.applied)
        .map(|m| m.name)
        .collect())
}

/// Opens a single connection (outside the pool), for the CLI.
pub async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(url)
        .await
        .context("connecting to the database")
}

/// The embedded migrations whose folder name `select` accepts: the migration
/// set of a service that owns some schemas only, without copying their SQL.
#[derive(Clone, Copy)]
pub struct Selected(pub fn(&str) -> bool);

impl std::fmt::Debug for Selected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Selected(..)")
    }
}

impl MigrationSource<Pg> for Selected {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<Pg>>>> {
        let all: Vec<Box<dyn Migration<Pg>>> = MigrationSource::<Pg>::migrations(&MIGRATIONS)?;
        Ok(all
            .into_iter()
            .filter(|m| (self.0)(&m.name().to_string()))
            .collect())
    }
}

/// Applies the pending migrations among those `select` accepts; returns the versions applied.
pub async fn run_pending_matching(
    url: &str,
    select: fn(&str) -> bool,
) -> anyhow::Result<Vec<String>> {
    with_sync_conn(url, move |conn| {
        let applied = conn
            .run_pending_migrations(Selected(select))
            .map_err(|e| anyhow::anyhow!("applying migrations: {e}"))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Like [`status`], for the migrations `select` accepts.
pub async fn status_matching(
    conn: &mut AsyncPgConnection,
    select: fn(&str) -> bool,
) -> anyhow::Result<Vec<MigrationState>> {
    Ok(status(conn)
        .await?
        .into_iter()
        .filter(|m| select(&m.name))
        .collect())
}

/// Like [`pending`], for the migrations `select` accepts.
pub async fn pending_matching(
    conn: &mut AsyncPgConnection,
    select: fn(&str) -> bool,
) -> anyhow::Result<Vec<String>> {
    Ok(status_matching(conn, select)
        .await?
        .into_iter()
        .filter(|m| !m.applied)
        .map(|m| m.name)
        .collect())
}
