//! A database per test, cloned from a template that has every migration.
//!
//! The template's name carries a hash of the migration files, so a changed
//! migration gets a fresh template; an advisory lock makes parallel test
//! processes build it once. Each test's database is dropped when its
//! [`TestDb`] drops; databases left by crashed runs are swept on first use.

use super::server::admin_url;
use crate::infra::migrations;
use anyhow::Context as _;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::OnceCell;

const PREFIX: &str = "my_agent_t_";
static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test, migrated, dropped on drop.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    url: String,
}

impl TestDb {
    /// A fresh, fully migrated database.
    pub async fn new() -> Self {
        Self::create(true).await
    }

    /// A fresh database with no migration applied (for migration tests).
    pub async fn empty() -> Self {
        Self::create(false).await
    }

    async fn create(migrated: bool) -> Self {
        let admin = admin_url().await;
        let _ = SERVER_URL.set(admin.to_owned());
        let template = if migrated {
            template_name().await.clone()
        } else {
            "template0".to_owned()
        };
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let name = format!(
            "{PREFIX}{secs}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = connect(admin).await.expect("admin connection");
        diesel::sql_query(format!(
            "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
        ))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
        let url = with_database(admin, &name);
        Self { name, url }
    }

    /// The connection URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Rows of `table` (`schema.table`, from test code, never from input) owned by `user_id`.
    pub async fn rows_of(&self, table: &str, user_id: uuid::Uuid) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = self.connect().await;
        diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {table} WHERE user_id = $1"
        ))
        .bind::<diesel::sql_types::Uuid, _>(user_id)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("counting rows of {table}: {e}"))
        .n
    }

    /// A direct connection (for assertions on rows, catalog reads, EXPLAIN).
    pub async fn connect(&self) -> AsyncPgConnection {
        connect(&self.url).await.expect("test database connection")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime: do the async work on a thread of its own.
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let admin = SERVER_URL.get()?;
                let mut conn = connect(admin).await.ok()?;
                drop_database(&mut conn, &name).await.ok()
            })
        });
        let _ = handle.join();
    }
}

/// The admin URL once resolved (Drop cannot await the resolution).
static SERVER_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(url)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))
}

async fn drop_database(conn: &mut AsyncPgConnection, name: &str) -> anyhow::Result<()> {
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(conn)
        .await?;
    Ok(())
}

/// The migrated template's name, built on first use in this process.
async fn template_name() -> &'static String {
    TEMPLATE
        .get_or_init(|| async {
            let admin = admin_url().await;
            build_template(admin)
                .await
                .expect("building the template database")
        })
        .await
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    datname: String,
}

async fn build_template(admin: &str) -> anyhow::Result<String> {
    let hash = migrations_hash();
    let name = format!("my_agent_template_{hash:016x}");
    let mut conn = connect(admin).await?;
    // One builder at a time across processes; the lock dies with the connection.
    let key = i64::from_ne_bytes(hash.to_ne_bytes());
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(key)
        .execute(&mut conn)
        .await?;
    let ready: Vec<Name> = diesel::sql_query(
        "SELECT datname::text AS datname FROM pg_database WHERE datname = $1 AND datistemplate",
    )
    .bind::<Text, _>(&name)
    .load(&mut conn)
    .await?;
    if ready.is_empty() {
        drop_database(&mut conn, &name).await?;
        diesel::sql_query(format!("CREATE DATABASE \"{name}\" TEMPLATE template0"))
            .execute(&mut conn)
            .await?;
        migrations::run_pending(&with_database(admin, &name)).await?;
        diesel::sql_query(format!("ALTER DATABASE \"{name}\" IS_TEMPLATE true"))
            .execute(&mut conn)
            .await?;
    }
    sweep(&mut conn).await;
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(key)
        .execute(&mut conn)
        .await?;
    Ok(name)
}

/// Drops test databases whose process is gone (a crashed or killed run),
/// and any older than a day whatever their process.
async fn sweep(conn: &mut AsyncPgConnection) {
    let Ok(rows) = diesel::sql_query(format!(
        "SELECT datname::text AS datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"
    ))
    .load::<Name>(conn)
    .await
    else {
        return;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    for row in rows {
        let mut parts = row.datname[PREFIX.len()..].split('_');
        let secs: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let pid: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let age = now.saturating_sub(secs);
        let orphan = pid != std::process::id()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            && age > 60;
        if orphan || age > 24 * 3600 {
            let _ = drop_database(conn, &row.datname).await;
        }
    }
}

/// A stable hash (FNV-1a) of every migration file, so edits during development get a new template.
fn migrations_hash() -> u64 {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|dir| {
            std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|f| f.path())
        .collect();
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for b in file.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_path(&format!("/{database}"));
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// `url` pointed at another host and port (to route it through a proxy).
pub fn with_address(url: &str, addr: std::net::SocketAddr) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_host(Some(&addr.ip().to_string()));
            let _ = parsed.set_port(Some(addr.port()));
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// The host and port `url` points at.
pub fn address_of(url: &str) -> Option<(String, u16)> {
    let parsed = url::Url::parse(url).ok()?;
    Some((parsed.host_str()?.to_owned(), parsed.port().unwrap_or(5432)))
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "<unparseable url>".to_owned(),
    }
}
