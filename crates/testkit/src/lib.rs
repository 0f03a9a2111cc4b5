//! Integration-test support: the real app ([`api::build_app`]) served over
//! HTTP on a free port, on a PostgreSQL database of the test's own (cloned
//! from the migrated template), optionally behind a proxy the test can cut to
//! simulate the database going away.
//!
//! ```ignore
//! let app = TestApp::spawn().await;
//! let res = app.get("/health").await;
//! assert_eq!(res.status, 200);
//! ```
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod idempotency;

use actix_web::http::Method;
use actix_web::http::header::HeaderMap;
use api::wiring::{WiringOptions, build_modules};
use api::{AppContext, Settings, build_app};
use kernel::FixedClock;
use kernel::http::Metrics;
use kernel::infra::testkit::database::{address_of, with_address};
use kernel::infra::testkit::{TcpProxy, TestDb};
use kernel::infra::{DbPool, PoolOptions, build_pool, pool_status};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

pub use kernel::infra::testkit::TestDb as Database;

/// How to build a [`TestApp`].
#[derive(Debug, Clone)]
pub struct TestAppBuilder {
    through_proxy: bool,
    migrated: bool,
    shared_db: Option<Arc<TestDb>>,
    acquire_timeout: Duration,
    pool_size: usize,
    clock: Option<FixedClock>,
    rate_limit_per_minute: u32,
    cors_origins: Vec<String>,
    finances_service: bool,
}

/// With this variable set to `service`, every [`TestApp`] also serves the
/// finances module as its own service (`crates/finances-service`) and sends
/// `/api/v1/finances/...` requests there.
pub const FINANCES_TARGET_VAR: &str = "MY_AGENT_FINANCES_TARGET";

/// Whether [`FINANCES_TARGET_VAR`] asks for the finances service.
fn finances_target_is_service() -> bool {
    std::env::var(FINANCES_TARGET_VAR).is_ok_and(|v| v == "service")
}

/// The finances routes, which the finances service answers when it runs.
const FINANCES_PREFIX: &str = "/api/v1/finances";

impl Default for TestAppBuilder {
    fn default() -> Self {
        Self {
            through_proxy: false,
            migrated: true,
            shared_db: None,
            acquire_timeout: Duration::from_millis(1000),
            pool_size: 4,
            clock: None,
            rate_limit_per_minute: 100_000,
            cors_origins: Vec::new(),
            finances_service: finances_target_is_service(),
        }
    }
}

impl TestAppBuilder {
    /// Route the app's database connections through a [`TcpProxy`] (see [`TestApp::proxy`]).
    pub fn through_proxy(mut self) -> Self {
        self.through_proxy = true;
        self
    }

    /// Start on a database with no migration applied.
    pub fn unmigrated(mut self) -> Self {
        self.migrated = false;
        self
    }

    /// How long a request waits for a database connection before 503.
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// Serve the database of another running app (a second, independent instance).
    pub fn sharing_database_of(mut self, other: &TestApp) -> Self {
        self.shared_db = Some(other.db.clone());
        self
    }

    /// Use a fixed clock (the test moves it) instead of the system clock.
    pub fn clock(mut self, clock: FixedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Login/registration attempts per minute per address and per email (default: unlimited in practice).
    pub fn rate_limit_per_minute(mut self, n: u32) -> Self {
        self.rate_limit_per_minute = n;
        self
    }

    /// Allow these browser origins (CORS).
    pub fn cors_origins(mut self, origins: &[&str]) -> Self {
        self.cors_origins = origins.iter().map(|o| (*o).to_owned()).collect();
        self
    }

    /// Also serve the finances service (on the same database, verifying the
    /// app's tokens with its public key) and send `/api/v1/finances/...` there;
    /// the default when `MY_AGENT_FINANCES_TARGET=service`.
    pub fn finances_service(mut self) -> Self {
        self.finances_service = true;
        self
    }

    /// Starts the app.
    pub async fn spawn(self) -> TestApp {
        // Warnings and errors (with the cause of any 500) show in a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()))
            .try_init();
        let db = match self.shared_db {
            Some(db) => db,
            None if self.migrated => Arc::new(TestDb::new().await),
            None => Arc::new(TestDb::empty().await),
        };
        let (app_url, proxy) = if self.through_proxy {
            let (host, port) = address_of(db.url()).expect("test database url");
            let proxy = TcpProxy::start(format!("{host}:{port}"));
            (with_address(db.url(), proxy.addr()), Some(proxy))
        } else {
            (db.url().to_owned(), None)
        };
        let pool = build_pool(
            &app_url,
            PoolOptions {
                max_size: self.pool_size,
                acquire_timeout: self.acquire_timeout,
            },
        )
        .expect("pool");
        let probe = pool.clone();
        let settings = Settings::from_vars(Default::default()).expect("default settings");
        let mut options = WiringOptions::from_settings(&settings).expect("wiring options");
        if let Some(clock) = self.clock {
            options.clock = Arc::new(clock);
        }
        options.rate_limit_per_minute = self.rate_limit_per_minute;
        let finances_server = self.finances_service.then(|| {
            let pool = build_pool(
                &app_url,
                PoolOptions {
                    max_size: self.pool_size,
                    acquire_timeout: self.acquire_timeout,
                },
            )
            .expect("finances service pool");
            let keys = settings.jwt_keys().expect("jwt keys");
            let verifier =
                finances_service::PublicKeyVerifier::new(&keys.public_pem, options.clock.clone())
                    .expect("public key verifier");
            let probe = pool.clone();
            let metrics = Metrics::new(Some(Arc::new(move || pool_status(&probe))));
            let ctx = finances_service::ServiceContext::new(
                pool,
                metrics,
                verifier,
                options.clock.clone(),
            );
            actix_test::start(move || finances_service::build_app(ctx.clone()))
        });
        let modules = build_modules(&pool, options).expect("modules");
        let ctx = AppContext {
            pool: pool.clone(),
            metrics: Metrics::new(Some(Arc::new(move || pool_status(&probe)))),
            json_limit: 1024 * 1024,
            modules,
            cors_origins: self.cors_origins,
        };
        let server = actix_test::start(move || build_app(ctx.clone()));
        TestApp {
            server,
            finances_server,
            pool,
            proxy,
            db,
        }
    }
}

/// The running app and its database. Dropping it stops the server and drops the database.
pub struct TestApp {
    server: actix_test::TestServer,
    /// The finances service, when built with [`TestAppBuilder::finances_service`].
    finances_server: Option<actix_test::TestServer>,
    pool: DbPool,
    proxy: Option<TcpProxy>,
    db: Arc<TestDb>,
}

/// A registered account and its tokens.
#[derive(Debug, Clone)]
pub struct TestUser {
    /// The account id.
    pub user_id: uuid::Uuid,
    /// Its email.
    pub email: String,
    /// Its password.
    pub password: String,
    /// A current access token.
    pub access_token: String,
    /// A current refresh token.
    pub refresh_token: String,
}

/// A password that passes the policy.
pub const PASSWORD: &str = "correct horse battery staple";

/// An answer, read whole.
#[derive(Debug)]
pub struct TestResponse {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as JSON (panics when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts an RFC 9457 problem of `status` and returns its document.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body: {}",
            self.text()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "not a problem document: {}",
            self.text()
        );
        let doc = self.json();
        assert_eq!(doc["status"], status);
        assert!(doc["type"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(doc["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(doc["detail"].as_str().is_some());
        doc
    }
}

impl TestApp {
    /// The app on a fresh migrated database.
    pub async fn spawn() -> Self {
        Self::builder().spawn().await
    }

    /// A builder for other set-ups.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// The test's database.
    pub fn db(&self) -> &TestDb {
        &self.db
    }

    /// The app's pool (to seed rows through a module's repositories).
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// The proxy between the app and its database, when built `through_proxy`.
    pub fn proxy(&self) -> &TcpProxy {
        self.proxy
            .as_ref()
            .expect("TestApp built without through_proxy()")
    }

    /// Whether `/api/v1/finances/...` goes to the finances service.
    pub fn serves_finances_separately(&self) -> bool {
        self.finances_server.is_some()
    }

    /// The server answering `path`: the finances service for the finances
    /// routes when it runs, the app otherwise.
    fn server_for(&self, path: &str) -> &actix_test::TestServer {
        match &self.finances_server {
            Some(finances) if path.starts_with(FINANCES_PREFIX) => finances,
            _ => &self.server,
        }
    }

    /// The full URL of `path` (on the finances service for its routes when it runs).
    pub fn url(&self, path: &str) -> String {
        self.server_for(path).url(path)
    }

    /// The full URL of `path` on the finances service; panics when it does not run.
    pub fn finances_service_url(&self, path: &str) -> String {
        self.finances_server
            .as_ref()
            .expect("TestApp built without finances_service()")
            .url(path)
    }

    /// A request to build on (headers, body).
    pub fn request(&self, method: Method, path: &str) -> awc::ClientRequest {
        let server = self.server_for(path);
        server
            .request(method, server.url(path))
            .timeout(Duration::from_secs(30))
    }

    /// Sends a built request with an optional body and reads the answer.
    pub async fn send(&self, req: awc::ClientRequest, body: Option<Vec<u8>>) -> TestResponse {
        let sent = match body {
            Some(body) => req.send_body(body).await,
            None => req.send().await,
        };
        let mut res = sent.expect("request failed");
        let body = res
            .body()
            .limit(64 * 1024 * 1024)
            .await
            .expect("reading body");
        TestResponse {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: body.to_vec(),
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(self.request(Method::GET, path), None).await
    }

    /// `method path` with a JSON body.
    pub async fn json(&self, method: Method, path: &str, body: &Value) -> TestResponse {
        let req = self
            .request(method, path)
            .insert_header(("content-type", "application/json"));
        self.send(req, Some(serde_json::to_vec(body).expect("json")))
            .await
    }

    /// Registers a fresh account (unique email) and returns it with its tokens.
    pub async fn register_user(&self) -> TestUser {
        self.register_with(serde_json::json!({})).await
    }

    /// Registers a fresh account with extra registration fields (`timezone`, `currency`, …).
    pub async fn register_with(&self, extra: Value) -> TestUser {
        let email = format!("user-{}@example.com", uuid::Uuid::new_v4().simple());
        let mut body = serde_json::json!({ "email": email, "password": PASSWORD });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let res = self
            .json(Method::POST, "/api/v1/auth/register", &body)
            .await;
        assert_eq!(res.status, 201, "registration failed: {}", res.text());
        let doc = res.json();
        TestUser {
            user_id: doc["user_id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("user_id"),
            email,
            password: PASSWORD.to_owned(),
            access_token: doc["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
            refresh_token: doc["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_owned(),
        }
    }

    /// A request with `Authorization: Bearer <token>`.
    pub fn request_as(&self, token: &str, method: Method, path: &str) -> awc::ClientRequest {
        self.request(method, path)
            .insert_header(("authorization", format!("Bearer {token}")))
    }

    /// `GET path` as `user`.
    pub async fn get_as(&self, user: &TestUser, path: &str) -> TestResponse {
        self.send(self.request_as(&user.access_token, Method::GET, path), None)
            .await
    }

    /// `method path` as the bearer of `token`, with an optional JSON body.
    pub async fn call_with_token(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> TestResponse {
        let req = self.request_as(token, method, path);
        match body {
            Some(body) => {
                let req = req.insert_header(("content-type", "application/json"));
                self.send(req, Some(serde_json::to_vec(body).expect("json")))
                    .await
            }
            None => self.send(req, None).await,
        }
    }

    /// `method path` as `user`, with an optional JSON body.
    pub async fn call_as(
        &self,
        user: &TestUser,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> TestResponse {
        self.call_with_token(&user.access_token, method, path, body)
            .await
    }

    /// `method path` with raw bytes of a given content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> TestResponse {
        let req = self
            .request(method, path)
            .insert_header(("content-type", content_type.to_owned()));
        self.send(req, Some(body.to_vec())).await
    }
}
