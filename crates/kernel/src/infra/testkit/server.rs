//! Finding (or starting) the PostgreSQL server tests run against.
//!
//! In order: `TEST_DATABASE_URL`; a server already answering on
//! 127.0.0.1:5432 as `postgres`; a throwaway cluster made with the system's
//! `initdb` in the temp dir (kept running for the next test process, which
//! reuses it); a `postgres:16` container when Docker is there and `initdb` is
//! not. The answer is cached for the process.

use anyhow::{Context as _, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::sync::OnceCell;

/// Port of the throwaway cluster (or container) the harness starts.
const OWN_PORT: u16 = 54329;
const LOCAL_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const CONTAINER: &str = "my-agent-test-postgres";

static SERVER: OnceCell<String> = OnceCell::const_new();

/// The admin URL (a database to connect to for `CREATE DATABASE`) of the test server.
pub async fn admin_url() -> &'static str {
    SERVER
        .get_or_init(|| async {
            match find_or_start().await {
                Ok(url) => url,
                Err(err) => panic!(
                    "no PostgreSQL for the tests: {err:#}\n\
                     Set TEST_DATABASE_URL, run a server on 127.0.0.1:5432, \
                     or install PostgreSQL (initdb) or Docker."
                ),
            }
        })
        .await
}

async fn find_or_start() -> anyhow::Result<String> {
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        answers(&url)
            .await
            .with_context(|| "TEST_DATABASE_URL is set but does not answer")?;
        return Ok(url);
    }
    if answers(LOCAL_URL).await.is_ok() {
        return Ok(LOCAL_URL.to_owned());
    }
    let own = format!("postgres://postgres@127.0.0.1:{OWN_PORT}/postgres");
    if answers(&own).await.is_ok() {
        return Ok(own);
    }
    if let Some(bindir) = find_bindir() {
        let dir = std::env::temp_dir().join("my-agent-test-pg");
        let bindir2 = bindir.clone();
        tokio::task::spawn_blocking(move || start_cluster(&bindir2, &dir))
            .await
            .context("cluster start thread")??;
        wait_until_answers(&own, Duration::from_secs(30)).await?;
        return Ok(own);
    }
    if Command::new("docker")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        tokio::task::spawn_blocking(start_container)
            .await
            .context("container start thread")??;
        wait_until_answers(&own, Duration::from_secs(60)).await?;
        return Ok(own);
    }
    bail!("no server on 127.0.0.1:5432, no initdb, no docker")
}

async fn answers(url: &str) -> anyhow::Result<()> {
    tokio::time::timeout(Duration::from_secs(3), AsyncPgConnection::establish(url))
        .await
        .context("timed out connecting")?
        .context("connecting")?;
    Ok(())
}

pub(crate) async fn wait_until_answers(url: &str, within: Duration) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match answers(url).await {
            Ok(()) => return Ok(()),
            Err(err) if tokio::time::Instant::now() >= deadline => {
                return Err(err.context(format!("{url} did not come up within {within:?}")));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// The folder holding `initdb` and `pg_ctl`.
pub fn find_bindir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_tools(&dir) {
            return Some(dir);
        }
    }
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| has_tools(d))
        .collect();
    debian.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(dir) = debian.pop() {
        return Some(dir);
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|d| has_tools(d)))
}

pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command for a PostgreSQL tool; as root, run as the `postgres` user
/// (`initdb` and `postgres` refuse to run as root).
pub(crate) fn pg_command(bindir: &Path, tool: &str, root: bool) -> Command {
    if root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bindir.join(tool));
        cmd
    } else {
        Command::new(bindir.join(tool))
    }
}

/// Creates (once) and starts a throwaway cluster in `dir` on [`OWN_PORT`],
/// under a file lock so parallel test processes start it only once.
fn start_cluster(bindir: &Path, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let lock_path = std::env::temp_dir().join("my-agent-test-pg.lock");
    let lock: File = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .context("opening the cluster lock")?;
    lock.lock().context("locking the cluster lock")?;

    let root = is_root();
    let data = dir.join("data");
    if root {
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir))?;
    }
    if !data.join("PG_VERSION").exists() {
        let _ = std::fs::remove_dir_all(&data);
        run(pg_command(bindir, "initdb", root)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))?;
    }
    let pid_file = data.join("postmaster.pid");
    let running = pid_file.exists()
        && pg_command(bindir, "pg_ctl", root)
            .arg("status")
            .arg("-D")
            .arg(&data)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !running {
        let options = format!(
            "-p {OWN_PORT} -c listen_addresses=127.0.0.1 -k {} -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            dir.display()
        );
        run(pg_command(bindir, "pg_ctl", root)
            .args(["start", "-w", "-t", "60", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-o", &options]))?;
    }
    drop(lock);
    Ok(())
}

fn start_container() -> anyhow::Result<()> {
    let running = Command::new("docker")
        .args(["inspect", "-f", "{{.State.Running}}", CONTAINER])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "true");
    if running {
        return Ok(());
    }
    let _ = Command::new("docker")
        .args(["rm", "-f", CONTAINER])
        .output();
    run(Command::new("docker").args([
        "run",
        "-d",
        "--rm",
        "--name",
        CONTAINER,
        "-p",
        &format!("127.0.0.1:{OWN_PORT}:5432"),
        "-e",
        "POSTGRES_HOST_AUTH_METHOD=trust",
        "postgres:16",
        "-c",
        "fsync=off",
        "-c",
        "max_connections=300",
    ]))
}

pub(crate) fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}
