//! The real `my-agent` binary as a child process (configured through its
//! environment, as an operator would), and a small HTTP/1.1 client that opens
//! one connection per request (`Connection: close`), so a test sees exactly
//! what a new client sees: a refused connection, a hang, or an answer.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_my-agent");
/// A password that passes the policy.
pub const PASSWORD: &str = "correct horse battery staple";

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn base_env(cmd: &mut Command, database_url: &str) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("APP__LOG__FORMAT", "json")
        .env("APP__LOG__FILTER", "warn");
}

/// `my-agent migrate` against `database_url`; panics with its output when it fails.
pub fn migrate(database_url: &str) {
    let mut cmd = Command::new(BIN);
    base_env(&mut cmd, database_url);
    let out = cmd
        .current_dir(std::env::temp_dir())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "my-agent migrate failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `my-agent serve`; killed (`SIGKILL`) on drop if still running.
pub struct Agent {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// How to start an [`Agent`].
pub struct AgentBuilder {
    database_url: String,
    env: Vec<(String, String)>,
}

impl AgentBuilder {
    /// Sets `APP__…` (or any) variable.
    pub fn env(mut self, key: &str, value: impl ToString) -> Self {
        self.env.push((key.to_owned(), value.to_string()));
        self
    }

    /// Starts `my-agent serve` on a free port and waits until `/health` answers 200.
    pub async fn spawn(self) -> Agent {
        let port = free_port();
        let log =
            std::env::temp_dir().join(format!("my-agent-child-{}-{port}.log", std::process::id()));
        let file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(BIN);
        base_env(&mut cmd, &self.database_url);
        cmd.current_dir(std::env::temp_dir())
            .env("PORT", port.to_string())
            .env("APP__SERVER__HOST", "127.0.0.1")
            .env("APP__SERVER__WORKERS", "2")
            .env("APP__AUTH__RATE_LIMIT_PER_MINUTE", "100000")
            // Cheap hashes unless a test asks otherwise.
            .env("APP__AUTH__ARGON2_MEMORY_KIB", "8192")
            .env("APP__AUTH__ARGON2_ITERATIONS", "1");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let child = cmd
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        let mut agent = Agent { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = agent.get("/health").await
                && res.status == 200
            {
                return agent;
            }
            if let Ok(Some(status)) = agent.child.try_wait() {
                panic!("my-agent exited at start ({status}): {}", agent.log());
            }
            assert!(
                Instant::now() < deadline,
                "my-agent did not come up: {}",
                agent.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Agent {
    /// A builder for `my-agent serve` over `database_url`.
    pub fn builder(database_url: &str) -> AgentBuilder {
        AgentBuilder {
            database_url: database_url.to_owned(),
            env: Vec::new(),
        }
    }

    /// The port it serves on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends `signal` (`TERM`, `KILL`) with `kill(1)` (unsafe code is forbidden here).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Waits for the process to exit, up to `within`; `None` when it is still running.
    pub async fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `GET path` without a token.
    pub async fn get(&self, path: &str) -> anyhow::Result<Res> {
        http(self.port, "GET", path, None, None, &[]).await
    }

    /// `method path` as the bearer of `token`, with an optional JSON body.
    pub async fn call(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Res> {
        http(self.port, method, path, Some(token), body, &[]).await
    }

    /// Registers a fresh account.
    pub async fn register(&self) -> User {
        let email = format!("user-{}@example.com", uuid::Uuid::new_v4().simple());
        self.register_email(&email).await
    }

    /// Registers `email`.
    pub async fn register_email(&self, email: &str) -> User {
        let res = http(
            self.port,
            "POST",
            "/api/v1/auth/register",
            None,
            Some(&json!({"email": email, "password": PASSWORD})),
            &[],
        )
        .await
        .unwrap();
        assert_eq!(res.status, 201, "registration failed: {}", res.text());
        let doc = res.json();
        User {
            user_id: doc["user_id"].as_str().unwrap().parse().unwrap(),
            email: email.to_owned(),
            access_token: doc["access_token"].as_str().unwrap().to_owned(),
            refresh_token: doc["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// `POST /auth/login` with `email` and the test password.
    pub async fn login(&self, email: &str) -> anyhow::Result<Res> {
        http(
            self.port,
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": email, "password": PASSWORD})),
            &[],
        )
        .await
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A registered account and its tokens.
#[derive(Debug, Clone)]
pub struct User {
    /// The account id.
    pub user_id: uuid::Uuid,
    /// Its email.
    pub email: String,
    /// A current access token.
    pub access_token: String,
    /// A current refresh token.
    pub refresh_token: String,
}

/// An answer, read whole.
#[derive(Debug, Clone)]
pub struct Res {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes (de-chunked).
    pub body: Vec<u8>,
}

impl Res {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (panics when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    /// Whether this is an RFC 9457 problem of `status` (status, content type and document).
    pub fn is_problem(&self, status: u16) -> bool {
        self.status == status
            && self.header("content-type") == Some("application/problem+json")
            && serde_json::from_slice::<Value>(&self.body).is_ok_and(|d| d["status"] == status)
    }
}

/// One request on a new connection (`Connection: close`).
pub async fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> anyhow::Result<Res> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .context("connecting")?;
    let body = body.map(|b| serde_json::to_vec(b).unwrap_or_default());
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match &body {
        Some(body) => head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )),
        None => head.push_str("Content-Length: 0\r\n\r\n"),
    }
    stream.write_all(head.as_bytes()).await.context("sending")?;
    if let Some(body) = body {
        stream.write_all(&body).await.context("sending body")?;
    }
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .context("reading the answer")?;
    parse(&raw)
}

fn parse(raw: &[u8]) -> anyhow::Result<Res> {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        bail!("no complete answer ({} bytes)", raw.len());
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .context("status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok(Res {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("chunk size line")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .context("chunk size")?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        anyhow::ensure!(rest.len() >= size + 2, "truncated chunk");
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}
