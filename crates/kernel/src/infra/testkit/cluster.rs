//! A private PostgreSQL cluster a test owns: it can stop it, start it again,
//! and stream it to a hot standby (for fault and read-replica tests).
//!
//! Built with the system's `initdb`, `pg_ctl` and `pg_basebackup` (run as
//! `postgres` when the tests run as root), in a temp dir of its own, on a
//! free port, listening on 127.0.0.1 with trust authentication (replication
//! included). Dropping the [`Cluster`] stops it and removes its files.

use super::database::with_database;
use super::server::{find_bindir, is_root, pg_command, run, wait_until_answers};
use crate::infra::migrations;
use anyhow::{Context as _, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How long starting (or restarting) a cluster may take.
const START_TIMEOUT: Duration = Duration::from_secs(60);
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A throwaway PostgreSQL cluster of one test: its own data dir and port; stopped and removed on drop.
#[derive(Debug)]
pub struct Cluster {
    bindir: PathBuf,
    root: bool,
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    /// Whether `initdb`, `pg_ctl` and `pg_basebackup` are on this machine (tests skip with a clear message otherwise).
    pub fn available() -> bool {
        let Some(bindir) = find_bindir() else {
            return false;
        };
        let tools = bindir.join("pg_basebackup").is_file() && bindir.join("postgres").is_file();
        let user = !is_root()
            || Command::new("id")
                .arg("postgres")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        tools && user
    }

    /// initdb (as `postgres` via runuser when root) in a fresh temp dir, start on a free port, listen 127.0.0.1,
    /// trust auth incl. replication connections, wal_level=replica, max_wal_senders, hot_standby=on, fsync=off.
    pub async fn start() -> anyhow::Result<Cluster> {
        let cluster = Self::new_dir()?;
        let made = cluster.clone_paths();
        tokio::task::spawn_blocking(move || made.init())
            .await
            .context("initdb thread")??;
        cluster.restart().await?;
        Ok(cluster)
    }

    /// A streaming hot standby of `primary` (pg_basebackup -R -X stream), started on its own free port; returns once it accepts read-only connections.
    pub async fn standby_of(primary: &Cluster) -> anyhow::Result<Cluster> {
        let cluster = Self::new_dir()?;
        let made = cluster.clone_paths();
        let source = primary.port;
        tokio::task::spawn_blocking(move || made.base_backup(source))
            .await
            .context("pg_basebackup thread")??;
        cluster.restart().await?;
        Ok(cluster)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// postgres://postgres@127.0.0.1:{port}/{database}
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// pg_ctl stop -m fast (waits).
    pub async fn stop(&self) -> anyhow::Result<()> {
        let me = self.clone_paths();
        tokio::task::spawn_blocking(move || me.pg_ctl_stop("fast"))
            .await
            .context("pg_ctl stop thread")?
    }

    /// Starts it again on the same port (waits until it accepts connections).
    pub async fn restart(&self) -> anyhow::Result<()> {
        let me = self.clone_paths();
        tokio::task::spawn_blocking(move || me.pg_ctl_start())
            .await
            .context("pg_ctl start thread")??;
        wait_until_answers(&self.url("postgres"), START_TIMEOUT).await
    }

    /// Creates `name` with every migration applied and returns its URL.
    pub async fn create_migrated_database(&self, name: &str) -> anyhow::Result<String> {
        let mut conn = self.connect("postgres").await?;
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .with_context(|| format!("creating database {name}"))?;
        let url = with_database(&self.url("postgres"), name);
        migrations::run_pending(&url)
            .await
            .with_context(|| format!("migrating {name}"))?;
        Ok(url)
    }

    /// A direct connection to `database`.
    pub async fn connect(&self, database: &str) -> anyhow::Result<AsyncPgConnection> {
        let url = self.url(database);
        tokio::time::timeout(Duration::from_secs(5), AsyncPgConnection::establish(&url))
            .await
            .with_context(|| format!("timed out connecting to {url}"))?
            .with_context(|| format!("connecting to {url}"))
    }

    /// The server log so far (to explain a failing test).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    fn new_dir() -> anyhow::Result<Cluster> {
        let Some(bindir) = find_bindir() else {
            bail!("no initdb/pg_ctl on this machine");
        };
        let root = is_root();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!(
            "my-agent-cluster-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        if root {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let port = free_port()?;
        Ok(Cluster {
            bindir,
            root,
            dir,
            port,
        })
    }

    /// The same cluster's paths, for a blocking thread (dropping it would stop the cluster, so it never drops).
    fn clone_paths(&self) -> Paths {
        Paths {
            bindir: self.bindir.clone(),
            root: self.root,
            dir: self.dir.clone(),
            port: self.port,
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let me = self.clone_paths();
        let _ = me.pg_ctl_stop("immediate");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the blocking `pg_ctl`/`initdb` calls need of a [`Cluster`].
struct Paths {
    bindir: PathBuf,
    root: bool,
    dir: PathBuf,
    port: u16,
}

impl Paths {
    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn tool(&self, name: &str) -> Command {
        pg_command(&self.bindir, name, self.root)
    }

    fn init(&self) -> anyhow::Result<()> {
        let data = self.data();
        run(self
            .tool("initdb")
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))?;
        let settings = "\n# my-agent test cluster\n\
             listen_addresses = '127.0.0.1'\n\
             wal_level = replica\n\
             max_wal_senders = 10\n\
             max_replication_slots = 10\n\
             hot_standby = on\n\
             fsync = off\n\
             full_page_writes = off\n\
             max_connections = 100\n";
        append(&data.join("postgresql.conf"), settings)?;
        // initdb's trust file already admits replication from 127.0.0.1; say it explicitly.
        append(
            &data.join("pg_hba.conf"),
            "\nhost replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n",
        )
    }

    fn base_backup(&self, source_port: u16) -> anyhow::Result<()> {
        run(self
            .tool("pg_basebackup")
            .args(["-h", "127.0.0.1", "-p", &source_port.to_string()])
            .args(["-U", "postgres", "-R", "-X", "stream", "-c", "fast", "-D"])
            .arg(self.data()))
    }

    fn pg_ctl_start(&self) -> anyhow::Result<()> {
        // Port and socket dir on the command line: a standby's copied postgresql.conf names the primary's.
        let options = format!("-p {} -k {}", self.port, self.dir.display());
        run(self
            .tool("pg_ctl")
            .args([
                "start",
                "-w",
                "-t",
                &START_TIMEOUT.as_secs().to_string(),
                "-D",
            ])
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-o", &options])
            .stdin(Stdio::null()))
    }

    fn pg_ctl_stop(&self, mode: &str) -> anyhow::Result<()> {
        run(self
            .tool("pg_ctl")
            .args(["stop", "-w", "-m", mode, "-D"])
            .arg(self.data()))
    }
}

fn append(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// A port nobody listens on right now.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}
