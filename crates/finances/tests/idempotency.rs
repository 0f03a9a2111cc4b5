//! Idempotency-Key on POST creates, against a real database: replays, a
//! reused key with another body, racing duplicates, the 24-hour window.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use chrono::{Duration, TimeZone as _, Utc};
use common::*;
use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use kernel::FixedClock;
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse, TestUser};

async fn post_with_key(
    app: &TestApp,
    user: &TestUser,
    path: &str,
    key: &str,
    body: &Value,
) -> TestResponse {
    let req = app
        .request_as(&user.access_token, Method::POST, path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("Idempotency-Key", key.to_owned()));
    app.send(req, Some(serde_json::to_vec(body).unwrap())).await
}

/// A fresh access token (the old one expired while the clock moved).
async fn relogin(app: &TestApp, user: &mut TestUser) {
    let res = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": user.password}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    user.access_token = res.json()["access_token"].as_str().unwrap().to_owned();
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db().connect().await;
    diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
}

#[actix_web::test]
async fn the_same_key_and_body_replays_without_a_second_row() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let body = json!({"kind": "expense", "amount": "9.99", "occurred_on": "2026-11-25", "category": "Food"});
    let first = post_with_key(&app, &user, TX, "key-1", &body).await;
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.header("idempotent-replayed"), None);
    // Same JSON, other spacing and key order: the same request.
    let req = app
        .request_as(&user.access_token, Method::POST, TX)
        .insert_header(("content-type", "application/json"))
        .insert_header(("Idempotency-Key", "key-1"));
    let second = app
        .send(req, Some(br#"{ "occurred_on": "2026-11-25", "category": "Food", "amount": "9.99", "kind": "expense" }"#.to_vec()))
        .await;
    assert_eq!(second.status, 201);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(second.header("location"), first.header("location"));
    assert_eq!(second.json(), first.json());
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM finances.transactions").await,
        1
    );

    let mut other_body = body.clone();
    other_body["amount"] = json!("10.00");
    let problem = post_with_key(&app, &user, TX, "key-1", &other_body)
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["Idempotency-Key"]);
    // Keys are per user and per route.
    let other = app.register_user().await;
    assert_eq!(
        post_with_key(&app, &other, TX, "key-1", &body)
            .await
            .header("idempotent-replayed"),
        None
    );
    post_with_key(
        &app,
        &user,
        "/api/v1/finances/categories",
        "key-1",
        &json!({"name": "X"}),
    )
    .await
    .problem(422);
    let cat = post_with_key(
        &app,
        &user,
        "/api/v1/finances/categories",
        "key-2",
        &json!({"name": "X"}),
    )
    .await;
    assert_eq!(cat.status, 201);
    let again = post_with_key(
        &app,
        &user,
        "/api/v1/finances/categories",
        "key-2",
        &json!({"name": "X"}),
    )
    .await;
    assert_eq!(
        (again.status, again.json()),
        (201, cat.json()),
        "replayed, not a 409"
    );
    // A failed create stores nothing: the key stays usable.
    let bad = post_with_key(&app, &user, TX, "key-3", &json!({"kind": "expense"})).await;
    bad.problem(422);
    assert_eq!(
        post_with_key(&app, &user, TX, "key-3", &body).await.status,
        201
    );
    post_with_key(&app, &user, TX, "", &body).await.problem(422);
    post_with_key(&app, &user, TX, &"k".repeat(256), &body)
        .await
        .problem(422);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM finances.idempotency_keys WHERE user_id = '{}'",
                user.user_id
            )
        )
        .await,
        3
    );
}

#[actix_web::test]
async fn racing_requests_with_one_key_create_one_row() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let body = json!({"kind": "income", "amount": "100", "occurred_on": "2026-11-25", "category": "Salary", "external_id": "pay-1"});
    let responses = futures_util::future::join_all(
        (0..8).map(|_| post_with_key(&app, &user, TX, "race", &body)),
    )
    .await;
    let ids: Vec<Value> = responses
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.text());
            r.json()["id"].clone()
        })
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(
        responses
            .iter()
            .filter(|r| r.header("idempotent-replayed").is_none())
            .count(),
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM finances.transactions").await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM finances.categories").await,
        1
    );
    // Racing creates of one new category name without keys: one category.
    let bodies: Vec<Value> = (0..6).map(|i| json!({"kind": "expense", "amount": "1", "occurred_on": "2026-11-25", "category": format!("{}ew", if i % 2 == 0 { "N" } else { "n" })})).collect();
    let responses =
        futures_util::future::join_all(bodies.iter().map(|b| post_tx(&app, &user, b))).await;
    assert!(responses.iter().all(|r| r.status == 201));
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM finances.categories").await,
        2
    );
}

#[actix_web::test]
async fn keys_are_remembered_for_24_hours() {
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let mut user = app.register_user().await;
    let body = expense("5", "2026-11-25");
    let first = post_with_key(&app, &user, TX, "daily", &body).await.json();
    clock.advance(Duration::hours(23));
    relogin(&app, &mut user).await;
    let replay = post_with_key(&app, &user, TX, "daily", &body).await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.json(), first);
    clock.advance(Duration::hours(2));
    relogin(&app, &mut user).await;
    let fresh = post_with_key(&app, &user, TX, "daily", &body).await;
    assert_eq!(fresh.status, 201);
    assert_eq!(fresh.header("idempotent-replayed"), None);
    assert_ne!(fresh.json()["id"], first["id"]);
    assert_eq!(all_pages(&app, &user, TX).await.len(), 2);
}

#[actix_web::test]
async fn closing_the_account_erases_every_finances_row_and_export_has_them() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    for who in [&user, &other] {
        post_with_key(&app, who, TX, "k", &json!({"kind": "expense", "amount": "1", "occurred_on": "2026-11-25", "category": "Food"})).await;
        app.call_as(
            who,
            Method::PUT,
            "/api/v1/finances/budgets/Food",
            Some(&json!({"month": "2026-11", "limit": "10"})),
        )
        .await;
    }
    let export = app.get_as(&user, "/api/v1/users/me/export").await;
    assert_eq!(export.status, 200, "{}", export.text());
    let doc = export.json();
    assert_eq!(doc["transactions"][0]["amount"], "1.00");
    assert_eq!(doc["categories"][0]["name"], "Food");
    assert_eq!(doc["budgets"][0]["limit"], "10.00");
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": user.password})),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    for table in ["transactions", "categories", "budgets", "idempotency_keys"] {
        let mine = count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM finances.{table} WHERE user_id = '{}'",
                user.user_id
            ),
        )
        .await;
        let theirs = count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM finances.{table} WHERE user_id = '{}'",
                other.user_id
            ),
        )
        .await;
        assert_eq!((table, mine, theirs), (table, 0, 1));
    }
}
