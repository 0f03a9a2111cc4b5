//! The reminders module's share of account deletion and export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use common::{create, spawn_at, user_in};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde_json::json;
use testkit::{TestApp, TestUser};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn rows_of(app: &TestApp, user: &TestUser) -> i64 {
    let mut conn = app.db().connect().await;
    diesel::sql_query("SELECT count(*) AS n FROM reminders.reminders WHERE user_id = $1")
        .bind::<SqlUuid, _>(user.user_id)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
}

#[actix_web::test]
async fn reminders_are_exported_and_deleted_with_the_account() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let other = user_in(&app, "UTC").await;
    create(
        &app,
        &user,
        json!({"title": "Mine, once", "due_at": "2026-12-01T09:00:00Z"}),
    )
    .await;
    create(
        &app,
        &user,
        json!({"title": "Mine, weekly", "due_at": "2026-12-02T09:00:00Z", "rrule": "FREQ=WEEKLY"}),
    )
    .await;
    create(
        &app,
        &other,
        json!({"title": "Not mine", "due_at": "2026-12-01T09:00:00Z"}),
    )
    .await;

    let doc = app.get_as(&user, "/api/v1/users/me/export").await.json();
    let exported: Vec<&str> = doc["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(exported, ["Mine, once", "Mine, weekly"]);
    assert_eq!(doc["reminders"][1]["rrule"], "FREQ=WEEKLY");

    assert_eq!(rows_of(&app, &user).await, 2);
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": user.password})),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert_eq!(rows_of(&app, &user).await, 0);
    assert_eq!(rows_of(&app, &other).await, 1, "nobody else's");
}
