//! Helpers shared by the calendar integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse, TestUser};

/// An RFC 3339 instant.
pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A user living in `tz`.
pub async fn user_in(app: &TestApp, tz: &str) -> TestUser {
    app.register_with(json!({ "timezone": tz })).await
}

/// Creates an event; asserts 201 and returns the body.
pub async fn create(app: &TestApp, user: &TestUser, body: Value) -> Value {
    let res = app
        .call_as(user, Method::POST, "/api/v1/calendar/events", Some(&body))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let doc = res.json();
    assert_eq!(
        res.header("location").unwrap(),
        format!("/api/v1/calendar/events/{}", doc["id"].as_str().unwrap())
    );
    doc
}

/// `GET /calendar/events?from&to` (UTC instants written with `Z`).
pub async fn range(app: &TestApp, user: &TestUser, from: &str, to: &str) -> TestResponse {
    app.get_as(
        user,
        &format!("/api/v1/calendar/events?from={from}&to={to}"),
    )
    .await
}

/// The occurrences of a window; asserts 200.
pub async fn items(app: &TestApp, user: &TestUser, from: &str, to: &str) -> Vec<Value> {
    let res = range(app, user, from, to).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["items"].as_array().unwrap().clone()
}

/// The `starts_at` of each item.
pub fn starts(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["starts_at"].as_str().unwrap().to_owned())
        .collect()
}

/// Posts a calendar file as `user`.
pub async fn import(
    app: &TestApp,
    user: &TestUser,
    content_type: &str,
    body: &[u8],
) -> TestResponse {
    let req = app
        .request_as(&user.access_token, Method::POST, "/api/v1/calendar/import")
        .insert_header(("content-type", content_type.to_owned()));
    app.send(req, Some(body.to_vec())).await
}

/// A fixture of the shared real-client exports (`../shared/fixtures/ics/` beside the repo).
pub fn shared_fixture(name: &str) -> String {
    let path = format!(
        "{}/../../../shared/fixtures/ics/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A fixture of this crate (`tests/fixtures/`).
pub fn own_fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// Creates a feed token; returns the path and query of its URL.
pub async fn feed_path(app: &TestApp, user: &TestUser) -> String {
    let res = app
        .call_as(user, Method::POST, "/api/v1/calendar/feed-token", None)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let url = res.json()["url"].as_str().unwrap().to_owned();
    assert_eq!(res.header("location"), Some(url.as_str()));
    let at = url.find("/api/v1/").unwrap();
    url[at..].to_owned()
}
