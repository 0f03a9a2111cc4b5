//! Shared helpers of the reminders integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use chrono::{DateTime, Utc};
use kernel::FixedClock;
use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

/// An instant from RFC 3339 text.
pub fn utc(raw: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(raw)
        .unwrap()
        .with_timezone(&Utc)
}

/// The app on a fixed clock stopped at `at`.
pub async fn spawn_at(at: &str) -> (TestApp, FixedClock) {
    let clock = FixedClock::at(utc(at));
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    (app, clock)
}

/// A fresh access token for `user` (tokens follow the fixed clock, so a test
/// that moves the clock logs in again).
pub async fn relogin(app: &TestApp, user: &TestUser) -> TestUser {
    let res = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": user.password}),
        )
        .await;
    assert_eq!(res.status, 200, "login: {}", res.text());
    let doc = res.json();
    TestUser {
        access_token: doc["access_token"].as_str().unwrap().to_owned(),
        refresh_token: doc["refresh_token"].as_str().unwrap().to_owned(),
        ..user.clone()
    }
}

/// Moves the clock to `at` and logs `user` in again.
pub async fn move_to(app: &TestApp, clock: &FixedClock, user: &TestUser, at: &str) -> TestUser {
    clock.set(utc(at));
    relogin(app, user).await
}

/// A user whose profile is in `timezone`.
pub async fn user_in(app: &TestApp, timezone: &str) -> TestUser {
    app.register_with(json!({"timezone": timezone})).await
}

/// Creates a reminder; asserts 201 and returns it.
pub async fn create(app: &TestApp, user: &TestUser, body: Value) -> Value {
    let res = app
        .call_as(user, Method::POST, "/api/v1/reminders", Some(&body))
        .await;
    assert_eq!(res.status, 201, "create: {}", res.text());
    res.json()
}

/// `POST /reminders/{id}/{action}` with an optional body; asserts 200.
pub async fn act(
    app: &TestApp,
    user: &TestUser,
    id: &Value,
    action: &str,
    body: Option<&Value>,
) -> Value {
    let path = format!("/api/v1/reminders/{}/{action}", id.as_str().unwrap());
    let res = app.call_as(user, Method::POST, &path, body).await;
    assert_eq!(res.status, 200, "{action}: {}", res.text());
    res.json()
}

/// The `field`s of a 422 problem, in order.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// An instant in a JSON document as an instant (whatever its text form).
pub fn at(value: &Value) -> DateTime<Utc> {
    utc(value.as_str().unwrap())
}
