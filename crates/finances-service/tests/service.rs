//! The finances service on its own: it serves only the finances routes, trusts
//! only tokens signed by the API's key, takes the time zone from the token's
//! `tz` claim, and migrates only the finances schema.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use auth::application::AccessTokenCodec as _;
use auth::domain::AccessClaims;
use auth::infra::JwtCodec;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, TimeZone as _, Utc};
use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl as _;
use kernel::http::Metrics;
use kernel::infra::testkit::TestDb;
use kernel::infra::{PoolOptions, build_pool};
use kernel::{Clock as _, FixedClock, Scope, UserId};
use serde_json::{Value, json};
use std::sync::Arc;
use testkit::{TestApp, TestResponse, TestUser};

const TX: &str = "/api/v1/finances/transactions";

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

/// `GET path` on the finances service itself, as the bearer of `token`.
async fn service_get(app: &TestApp, token: Option<&str>, path: &str) -> TestResponse {
    let mut req = awc::Client::new().get(app.finances_service_url(path));
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut res = req.send().await.unwrap();
    TestResponse {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: res.body().limit(1 << 20).await.unwrap().to_vec(),
    }
}

/// The `my_agent_http_requests_total` lines of a `/metrics` answer naming `route`.
fn request_lines(metrics: &str, route: &str) -> Vec<String> {
    metrics
        .lines()
        .filter(|l| {
            l.starts_with("my_agent_http_requests_total")
                && l.contains(&format!("route=\"{route}\""))
        })
        .map(str::to_owned)
        .collect()
}

#[actix_web::test]
async fn finances_requests_reach_the_service_with_the_apis_tokens() {
    let app = TestApp::builder().finances_service().spawn().await;
    assert!(app.serves_finances_separately());
    let user = app.register_user().await;
    let res = app
        .call_as(
            &user,
            Method::POST,
            TX,
            Some(&json!({"kind": "expense", "amount": "12.50", "occurred_on": "2026-11-25", "category": "Food"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(app.url(TX), app.finances_service_url(TX));
    let listed = service_get(&app, Some(&user.access_token), TX).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    assert_eq!(listed.json()["items"][0]["amount"], "12.50");

    // The service counted the requests; the API never saw a finances route.
    let service_metrics = service_get(&app, None, "/metrics").await.text();
    let api_metrics = app.get("/metrics").await.text();
    let route = "/api/v1/finances/transactions";
    assert_eq!(
        request_lines(&service_metrics, route).len(),
        2,
        "{service_metrics}"
    );
    assert!(
        request_lines(&api_metrics, route).is_empty(),
        "{api_metrics}"
    );
    // Same database: the API's export holds what the service wrote.
    let export = app.get_as(&user, "/api/v1/users/me/export").await.json();
    assert_eq!(export["transactions"][0]["amount"], "12.50");
}

#[actix_web::test]
async fn the_service_serves_finances_and_operations_only() {
    let app = TestApp::builder().finances_service().spawn().await;
    let user = app.register_user().await;
    assert_eq!(
        service_get(&app, None, "/health").await.json()["status"],
        "ok"
    );
    assert_eq!(
        service_get(&app, None, "/ready").await.json()["status"],
        "ready"
    );
    let doc = service_get(&app, None, "/api/v1/openapi.json").await.json();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert!(paths.iter().any(|p| *p == "/api/v1/finances/summary"));
    for path in &paths {
        assert!(
            path.starts_with("/api/v1/finances/")
                || ["/health", "/ready", "/metrics"].contains(&path.as_str()),
            "unexpected path {path}"
        );
    }
    for other in [
        "/api/v1/users/me",
        "/api/v1/reminders",
        "/api/v1/auth/sessions",
        "/api/v1/dashboard",
        "/docs",
    ] {
        service_get(&app, Some(&user.access_token), other)
            .await
            .problem(404);
    }
}

#[actix_web::test]
async fn only_access_tokens_signed_by_the_api_are_accepted() {
    let clock = FixedClock::at(Utc::now());
    let app = TestApp::builder()
        .clock(clock.clone())
        .finances_service()
        .spawn()
        .await;
    let user = app.register_user().await;
    let victim = app.register_user().await;
    let parts: Vec<&str> = user.access_token.split('.').collect();
    let mut claims = claims_of(&user.access_token);
    claims["sub"] = json!(victim.user_id.to_string());
    let tampered = format!("{}.{}.{}", parts[0], encode(&claims), parts[2]);
    let none = format!("{}.{}.", encode(&json!({"alg": "none"})), parts[1]);
    let hs256 = format!(
        "{}.{}.{}",
        encode(&json!({"alg": "HS256", "typ": "JWT"})),
        parts[1],
        parts[2]
    );
    let mut foreign = claims_of(&user.access_token);
    foreign["iss"] = json!("someone-else");
    let foreign = format!("{}.{}.{}", parts[0], encode(&foreign), parts[2]);
    for bad in [tampered, none, hs256, foreign, "garbage".to_owned()] {
        service_get(&app, Some(&bad), TX).await.problem(401);
    }
    service_get(&app, None, TX).await.problem(401);

    // Personal access tokens live in auth's tables, which the service has not.
    let pat = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "script", "scope": "read_write"})),
        )
        .await;
    assert_eq!(pat.status, 201, "{}", pat.text());
    let pat = pat.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.call_with_token(&pat, Method::GET, "/api/v1/users/me", None)
            .await
            .status,
        200
    );
    let refused = service_get(&app, Some(&pat), TX).await;
    assert!(
        refused.problem(401)["detail"]
            .as_str()
            .unwrap()
            .contains("Personal access tokens")
    );

    assert_eq!(
        service_get(&app, Some(&user.access_token), TX).await.status,
        200
    );
    clock.advance(Duration::minutes(16));
    let expired = service_get(&app, Some(&user.access_token), TX).await;
    assert!(
        expired.problem(401)["detail"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

async fn summary_from(app: &TestApp, token: &str) -> String {
    let res = service_get(app, Some(token), "/api/v1/finances/summary").await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["from"].as_str().unwrap().to_owned()
}

async fn refresh(app: &TestApp, user: &mut TestUser) {
    let res = app
        .json(
            Method::POST,
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let doc = res.json();
    user.access_token = doc["access_token"].as_str().unwrap().to_owned();
    user.refresh_token = doc["refresh_token"].as_str().unwrap().to_owned();
}

#[actix_web::test]
async fn the_time_zone_travels_as_a_claim_and_follows_at_the_next_refresh() {
    // 02:00 UTC on 1 December is still 30 November in São Paulo (UTC-3).
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap());
    let app = TestApp::builder()
        .clock(clock.clone())
        .finances_service()
        .spawn()
        .await;
    let mut user = app
        .register_with(json!({"timezone": "America/Sao_Paulo"}))
        .await;
    assert_eq!(claims_of(&user.access_token)["tz"], "America/Sao_Paulo");
    assert_eq!(summary_from(&app, &user.access_token).await, "2026-11-01");

    let res = app
        .call_as(
            &user,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"timezone": "Europe/London"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    // The token in hand still says São Paulo: stale until the next refresh.
    assert_eq!(summary_from(&app, &user.access_token).await, "2026-11-01");
    refresh(&app, &mut user).await;
    assert_eq!(claims_of(&user.access_token)["tz"], "Europe/London");
    assert_eq!(summary_from(&app, &user.access_token).await, "2026-12-01");

    // A login mints the claim too.
    let login = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": user.password}),
        )
        .await
        .json();
    assert_eq!(
        claims_of(login["access_token"].as_str().unwrap())["tz"],
        "Europe/London"
    );
}

#[actix_web::test]
async fn a_token_without_tz_falls_back_to_utc() {
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap());
    let app = TestApp::builder()
        .clock(clock.clone())
        .finances_service()
        .spawn()
        .await;
    let user = app
        .register_with(json!({"timezone": "America/Sao_Paulo"}))
        .await;
    let settings = api::Settings::from_vars(Default::default()).unwrap();
    let codec = JwtCodec::new(&settings.jwt_keys().unwrap(), Arc::new(clock.clone())).unwrap();
    let now = clock.now();
    let old_style = codec
        .issue(&AccessClaims {
            user_id: UserId::from_uuid(user.user_id),
            session_id: uuid::Uuid::now_v7(),
            scope: Scope::ReadWrite,
            token_id: uuid::Uuid::now_v7(),
            issued_at: now,
            expires_at: now + Duration::minutes(15),
        })
        .unwrap();
    assert!(claims_of(&old_style).get("tz").is_none());
    assert_eq!(summary_from(&app, &old_style).await, "2026-12-01");
    assert_eq!(summary_from(&app, &user.access_token).await, "2026-11-01");
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

async fn names(db: &TestDb, sql: &str) -> Vec<String> {
    let mut conn = db.connect().await;
    diesel::sql_query(sql)
        .load::<Name>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

/// The service alone on `db`.
fn serve_alone(db: &TestDb) -> actix_test::TestServer {
    let pool = build_pool(
        db.url(),
        PoolOptions {
            max_size: 2,
            acquire_timeout: std::time::Duration::from_millis(1000),
        },
    )
    .unwrap();
    let settings = finances_service::ServiceSettings::from_vars(Default::default()).unwrap();
    let clock: Arc<dyn kernel::Clock> = Arc::new(kernel::SystemClock);
    let verifier = finances_service::PublicKeyVerifier::new(
        &settings.public_key_pem().unwrap(),
        clock.clone(),
    )
    .unwrap();
    let ctx = finances_service::ServiceContext::new(pool, Metrics::new(None), verifier, clock);
    actix_test::start(move || finances_service::build_app(ctx.clone()))
}

#[actix_web::test]
async fn it_migrates_only_the_finances_schema_and_is_ready_then() {
    let db = TestDb::empty().await;
    let server = serve_alone(&db);
    let ready = awc::Client::new()
        .get(server.url("/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 503);

    let applied = finances_service::migrations::run_pending(db.url())
        .await
        .unwrap();
    let expected: Vec<String> = kernel::infra::migrations::embedded_versions()
        .unwrap()
        .into_iter()
        .filter(|(_, name)| finances_service::migrations::is_finances(name))
        .map(|(version, _)| version)
        .collect();
    assert_eq!(applied, expected);
    assert_eq!(applied.len(), 2, "schema creation and the finances tables");
    let recorded = names(
        &db,
        "SELECT version AS name FROM public.__diesel_schema_migrations ORDER BY version",
    )
    .await;
    assert_eq!(recorded, applied);
    let tables = names(
        &db,
        "SELECT schemaname || '.' || tablename AS name FROM pg_tables \
         WHERE schemaname IN ('auth', 'users', 'finances', 'reminders', 'calendar') ORDER BY 1",
    )
    .await;
    assert!(!tables.is_empty());
    assert!(
        tables.iter().all(|t| t.starts_with("finances.")),
        "{tables:?}"
    );
    assert!(tables.contains(&"finances.transactions".to_owned()));
    let ready = awc::Client::new()
        .get(server.url("/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    // Nothing left to apply.
    assert!(
        finances_service::migrations::run_pending(db.url())
            .await
            .unwrap()
            .is_empty()
    );
}
