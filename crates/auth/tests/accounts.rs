//! Registration, login and password change over HTTP against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use serde_json::json;
use testkit::{PASSWORD, TestApp};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db().connect().await;
    diesel::sql_query(sql)
        .load::<Count>(&mut conn)
        .await
        .unwrap()[0]
        .n
}

#[actix_web::test]
async fn registration_creates_credentials_profile_and_a_session() {
    let app = TestApp::spawn().await;
    let res = app
        .json(
            Method::POST,
            "/api/v1/auth/register",
            &json!({"email": "  Ana.Souza@Example.COM ", "password": PASSWORD, "timezone": "America/Sao_Paulo", "currency": "BRL"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(res.header("location"), Some("/api/v1/users/me"));
    let body = res.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["refresh_token"].as_str().unwrap().starts_with("rt_"));

    let token = body["access_token"].as_str().unwrap();
    let me = app
        .call_with_token(token, Method::GET, "/api/v1/users/me", None)
        .await;
    assert_eq!(me.status, 200, "{}", me.text());
    let me = me.json();
    assert_eq!(me["id"], body["user_id"]);
    assert_eq!(me["email"], "ana.souza@example.com");
    assert_eq!(me["display_name"], "ana.souza");
    assert_eq!(me["timezone"], "America/Sao_Paulo");
    assert_eq!(me["currency"], "BRL");
    assert_eq!(me["locale"], "en");
    assert_eq!(me["week_start"], "monday");

    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM auth.credentials").await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM users.profiles").await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM auth.sessions").await,
        1
    );
    let hashes = count(&app, "SELECT count(*) AS n FROM auth.credentials WHERE password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'").await;
    assert_eq!(hashes, 1, "Argon2id at OWASP parameters");
}

#[actix_web::test]
async fn a_taken_email_is_a_conflict_whatever_its_case() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let again = app
        .json(
            Method::POST,
            "/api/v1/auth/register",
            &json!({"email": user.email.to_uppercase(), "password": PASSWORD}),
        )
        .await;
    again.problem(409);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM users.profiles").await,
        1
    );
}

#[actix_web::test]
async fn invalid_registrations_name_every_bad_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({"email": "not-an-email", "password": PASSWORD}),
            vec!["email"],
        ),
        (
            json!({"email": "a@example.com", "password": "short"}),
            vec!["password"],
        ),
        (
            json!({"email": "longaddress@example.com", "password": "longaddress@example.com"}),
            vec!["password"],
        ),
        (
            json!({"email": "b@example.com", "password": "qwerty123456"}),
            vec!["password"],
        ),
        (
            json!({"email": "c@example.com", "password": "x".repeat(129)}),
            vec!["password"],
        ),
        (
            json!({"email": "d@example.com", "password": PASSWORD, "timezone": "Mars/Olympus", "currency": "usd"}),
            vec!["timezone", "currency"],
        ),
    ];
    for (body, fields) in cases {
        let res = app.json(Method::POST, "/api/v1/auth/register", &body).await;
        let problem = res.problem(422);
        let named: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(named, fields, "{body}: {problem}");
    }
    let unknown = app
        .json(
            Method::POST,
            "/api/v1/auth/register",
            &json!({"email": "e@example.com", "password": PASSWORD, "user_id": "x"}),
        )
        .await;
    unknown.problem(422);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM auth.credentials").await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM users.profiles").await,
        0
    );
}

#[actix_web::test]
async fn login_accepts_the_right_password_in_any_email_case() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let res = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email.to_uppercase(), "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["user_id"], user.user_id.to_string());
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM auth.sessions").await,
        2
    );
}

#[actix_web::test]
async fn wrong_password_and_unknown_email_look_the_same() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let wrong = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": "not the password at all"}),
        )
        .await;
    let unknown = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": "nobody@example.com", "password": PASSWORD}),
        )
        .await;
    let malformed = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": "nobody", "password": PASSWORD}),
        )
        .await;
    let a = wrong.problem(401);
    assert_eq!(a, unknown.problem(401));
    assert_eq!(a, malformed.problem(401));
}

#[actix_web::test]
async fn login_is_rate_limited_per_email_with_retry_after() {
    let app = TestApp::builder().rate_limit_per_minute(3).spawn().await;
    let body = json!({"email": "someone@example.com", "password": "not the password at all"});
    for _ in 0..3 {
        app.json(Method::POST, "/api/v1/auth/login", &body)
            .await
            .problem(401);
    }
    let limited = app.json(Method::POST, "/api/v1/auth/login", &body).await;
    limited.problem(429);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
}

#[actix_web::test]
async fn changing_the_password_revokes_the_other_sessions() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": PASSWORD}),
        )
        .await
        .json();

    let wrong = app
        .call_as(&user, Method::POST, "/api/v1/auth/password", Some(&json!({"current_password": "nope nope nope", "new_password": "a brand new passphrase"})))
        .await;
    assert_eq!(wrong.problem(422)["errors"][0]["field"], "current_password");

    let weak = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/password",
            Some(&json!({"current_password": PASSWORD, "new_password": "short"})),
        )
        .await;
    assert_eq!(weak.problem(422)["errors"][0]["field"], "new_password");

    let ok = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/password",
            Some(&json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"})),
        )
        .await;
    assert_eq!(ok.status, 204, "{}", ok.text());

    let old = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": PASSWORD}),
        )
        .await;
    old.problem(401);
    let new = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(new.status, 200);

    let other_refresh = app
        .json(
            Method::POST,
            "/api/v1/auth/refresh",
            &json!({"refresh_token": other["refresh_token"]}),
        )
        .await;
    other_refresh.problem(401);
    let own_refresh = app
        .json(
            Method::POST,
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_eq!(own_refresh.status, 200, "the changing session survives");
}
