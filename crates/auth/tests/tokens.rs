//! Access JWTs are checked strictly; personal access tokens carry their scope.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use kernel::FixedClock;
use serde_json::{Value, json};
use testkit::TestApp;

fn segments(token: &str) -> Vec<String> {
    token.split('.').map(str::to_owned).collect()
}

fn decode(segment: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[actix_web::test]
async fn tampered_unsigned_and_confused_tokens_are_rejected() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let victim = app.register_user().await;
    let parts = segments(&user.access_token);
    assert_eq!(decode(&parts[0])["alg"], "EdDSA");

    let mut claims = decode(&parts[1]);
    claims["sub"] = json!(victim.user_id.to_string());
    let tampered = format!("{}.{}.{}", parts[0], encode(&claims), parts[2]);
    let none = format!(
        "{}.{}.",
        encode(&json!({"alg": "none", "typ": "JWT"})),
        parts[1]
    );
    let hs256 = format!(
        "{}.{}.{}",
        encode(&json!({"alg": "HS256", "typ": "JWT"})),
        parts[1],
        parts[2]
    );
    let truncated = format!("{}.{}", parts[0], parts[1]);
    for bad in [tampered, none, hs256, truncated, "garbage".to_owned()] {
        let res = app
            .call_with_token(&bad, Method::GET, "/api/v1/users/me", None)
            .await;
        res.problem(401);
    }
    let no_header = app.get("/api/v1/users/me").await;
    no_header.problem(401);
    let basic = app
        .send(
            app.request(Method::GET, "/api/v1/users/me")
                .insert_header(("authorization", "Basic dXNlcjpwYXNz")),
            None,
        )
        .await;
    basic.problem(401);
}

#[actix_web::test]
async fn access_tokens_expire_and_are_not_valid_before_issue() {
    let clock = FixedClock::at(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let user = app.register_user().await;
    assert_eq!(app.get_as(&user, "/api/v1/users/me").await.status, 200);

    clock.advance(Duration::minutes(16));
    let expired = app.get_as(&user, "/api/v1/users/me").await;
    assert!(
        expired.problem(401)["detail"]
            .as_str()
            .unwrap()
            .contains("expired")
    );

    // Issued "in the future" relative to the verifier's clock.
    clock.advance(Duration::hours(2));
    let future = app.register_user().await;
    clock.advance(Duration::hours(-2));
    app.get_as(&future, "/api/v1/users/me").await.problem(401);
}

#[actix_web::test]
async fn a_read_token_reads_and_cannot_write() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let created = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": " nightly backup ", "scope": "read"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    assert_eq!(created["name"], "nightly backup");
    assert_eq!(created["scope"], "read");
    assert!(created["expires_at"].is_null());
    let secret = created["token"].as_str().unwrap();
    assert!(secret.starts_with("mya_pat_"));

    let read = app
        .call_with_token(secret, Method::GET, "/api/v1/users/me", None)
        .await;
    assert_eq!(read.status, 200, "{}", read.text());
    let write = app
        .call_with_token(
            secret,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"display_name": "x"})),
        )
        .await;
    write.problem(403);

    let listed = app.get_as(&user, "/api/v1/auth/tokens").await.json();
    let item = &listed["items"][0];
    assert_eq!(item["id"], created["id"]);
    assert!(item["last_used_at"].is_string(), "use is recorded");
    assert!(
        !listed.to_string().contains(secret),
        "the secret is never listed"
    );
}

#[actix_web::test]
async fn a_read_write_token_writes_but_cannot_manage_credentials() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let created = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "script", "scope": "read_write", "expires_in_days": 30})),
        )
        .await
        .json();
    let secret = created["token"].as_str().unwrap();
    let write = app
        .call_with_token(
            secret,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"display_name": "Scripted"})),
        )
        .await;
    assert_eq!(write.status, 200, "{}", write.text());
    let mint = app
        .call_with_token(
            secret,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "more", "scope": "read_write"})),
        )
        .await;
    mint.problem(403);
}

#[actix_web::test]
async fn revoked_expired_and_foreign_tokens_stop_working() {
    let clock = FixedClock::at(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let user = app.register_user().await;
    let intruder = app.register_user().await;
    let create = |days: Option<i64>| json!({"name": "t", "scope": "read", "expires_in_days": days});

    let short = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&create(Some(1))),
        )
        .await
        .json();
    let kept = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&create(None)),
        )
        .await
        .json();
    let kept_secret = kept["token"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/auth/tokens/{}", kept["id"].as_str().unwrap());

    app.call_as(&intruder, Method::DELETE, &path, None)
        .await
        .problem(404);
    app.get_as(&intruder, &path).await.problem(404);
    let one = app.get_as(&user, &path).await;
    assert_eq!(one.status, 200, "{}", one.text());
    assert_eq!(one.json()["id"], kept["id"]);
    assert!(
        one.json().get("token").is_none(),
        "the secret is shown once only"
    );
    assert_eq!(
        app.call_with_token(&kept_secret, Method::GET, "/api/v1/users/me", None)
            .await
            .status,
        200
    );
    assert_eq!(
        app.call_as(&user, Method::DELETE, &path, None).await.status,
        204
    );
    app.call_with_token(&kept_secret, Method::GET, "/api/v1/users/me", None)
        .await
        .problem(401);

    clock.advance(Duration::days(2));
    app.call_with_token(
        short["token"].as_str().unwrap(),
        Method::GET,
        "/api/v1/users/me",
        None,
    )
    .await
    .problem(401);

    for bad in [
        json!({"name": "", "scope": "read"}),
        json!({"name": "x", "scope": "read", "expires_in_days": 0}),
        json!({"name": "x", "scope": "admin"}),
    ] {
        // A fresh login: the clock moved past the first access token's expiry.
        let res = app
            .json(
                Method::POST,
                "/api/v1/auth/login",
                &json!({"email": user.email, "password": user.password}),
            )
            .await
            .json();
        let token = res["access_token"].as_str().unwrap();
        app.call_with_token(token, Method::POST, "/api/v1/auth/tokens", Some(&bad))
            .await
            .problem(422);
    }
}
