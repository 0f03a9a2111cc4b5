//! Idempotency-Key on `POST /reminders`, against a real database: a replay
//! creates nothing, racing duplicates create one reminder, a reused key with
//! another body is 422, and account deletion erases the keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fields;
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse, TestUser, idempotency};

const PATH: &str = "/api/v1/reminders";

async fn post_json(app: &TestApp, user: &TestUser, key: &str, body: &Value) -> TestResponse {
    app.post_keyed(user, PATH, key, body).await
}

/// Rows of `reminders.<table>` owned by `user`.
async fn rows(app: &TestApp, table: &str, user: &TestUser) -> i64 {
    app.rows_of(&format!("reminders.{table}"), user).await
}

fn body() -> Value {
    json!({"title": "Pay rent", "due_at": "2026-12-01T09:00:00-03:00", "priority": "high", "rrule": "FREQ=MONTHLY"})
}

#[actix_web::test]
async fn the_same_key_and_body_replays_without_a_second_row() {
    let app = TestApp::spawn().await;
    idempotency::replays_without_a_second_row(&app, PATH, &body(), "reminders.reminders").await;
}

#[actix_web::test]
async fn the_same_key_with_another_body_is_422_naming_the_header() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    assert_eq!(post_json(&app, &user, "k", &body()).await.status, 201);
    let mut other = body();
    other["title"] = json!("Pay the rent");
    let problem = post_json(&app, &user, "k", &other).await.problem(422);
    assert_eq!(fields(&problem), ["Idempotency-Key"]);
    assert_eq!(rows(&app, "reminders", &user).await, 1);

    // A create that fails stores nothing: the key stays usable.
    let bad = post_json(&app, &user, "k2", &json!({"title": "", "due_at": "x"})).await;
    assert_eq!(fields(&bad.problem(422)), ["title", "due_at"]);
    assert_eq!(post_json(&app, &user, "k2", &body()).await.status, 201);

    // Keys are 1–255 visible ASCII characters.
    for key in [String::new(), "k".repeat(256), "with space".to_owned()] {
        let problem = post_json(&app, &user, &key, &body()).await.problem(422);
        assert_eq!(fields(&problem), ["Idempotency-Key"], "{key:?}");
    }
    assert_eq!(rows(&app, "reminders", &user).await, 2);
    assert_eq!(rows(&app, "idempotency_keys", &user).await, 2);
}

#[actix_web::test]
async fn racing_requests_with_one_key_create_one_row() {
    let app = TestApp::spawn().await;
    idempotency::racing_requests_create_one(&app, PATH, &body(), "reminders.reminders").await;
}

#[actix_web::test]
async fn closing_the_account_erases_the_keys() {
    let app = TestApp::spawn().await;
    let tables = ["reminders.reminders", "reminders.idempotency_keys"];
    idempotency::closing_the_account_erases(&app, PATH, &body(), &tables).await;
}

#[actix_web::test]
async fn the_openapi_document_describes_the_header_and_its_422() {
    let app = TestApp::spawn().await;
    idempotency::documented(&app, PATH).await;
}
