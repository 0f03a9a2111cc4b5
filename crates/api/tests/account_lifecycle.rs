//! Account deletion erases the user everywhere, in one transaction; the
//! export carries every module's data. The deletion check reads the catalog,
//! so a table added by a future module cannot be forgotten.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use serde_json::json;
use testkit::{TestApp, TestUser};

#[derive(diesel::QueryableByName)]
struct Table {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of `user` in every table of every schema that has a `user_id` column.
async fn rows_of(app: &TestApp, user: &TestUser) -> Vec<(String, i64)> {
    let mut conn = app.db().connect().await;
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.columns \
         WHERE column_name = 'user_id' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(
        tables.len() >= 14,
        "the catalog lists the module tables: {}",
        tables.len()
    );
    let mut out = Vec::new();
    for t in tables {
        let rows: Vec<Count> = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {} WHERE user_id = '{}'",
            t.name, user.user_id
        ))
        .load(&mut conn)
        .await
        .unwrap();
        out.push((t.name, rows[0].n));
    }
    out
}

/// A keyed create, so the module's idempotency table gets a row too.
async fn create(
    app: &TestApp,
    user: &TestUser,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let req = app
        .request_as(&user.access_token, Method::POST, path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", uuid::Uuid::new_v4().to_string()));
    let res = app
        .send(req, Some(serde_json::to_vec(&body).unwrap()))
        .await;
    assert_eq!(res.status, 201, "{path}: {}", res.text());
    res.json()
}

/// Gives the user rows in every table of every module.
async fn populate(app: &TestApp, user: &TestUser) {
    let res = app
        .call_as(
            user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "script", "scope": "read"})),
        )
        .await;
    assert_eq!(res.status, 201);
    let res = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": user.password}),
        )
        .await;
    assert_eq!(res.status, 200);

    create(app, user, "/api/v1/finances/transactions", json!({"kind": "expense", "amount": "12.50", "occurred_on": "2026-11-20", "category": "food"})).await;
    let res = app
        .call_as(
            user,
            Method::PUT,
            "/api/v1/finances/budgets/food",
            Some(&json!({"month": "2026-11", "limit": "100.00"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    create(
        app,
        user,
        "/api/v1/reminders",
        json!({"title": "call mum", "due_at": "2026-12-01T18:00:00Z"}),
    )
    .await;
    let event = create(
        app,
        user,
        "/api/v1/calendar/events",
        json!({"title": "standup", "starts_at": "2026-12-01T09:00:00Z", "ends_at": "2026-12-01T09:15:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await;
    let path = format!(
        "/api/v1/calendar/events/{}/exceptions",
        event["id"].as_str().unwrap()
    );
    let res = app
        .call_as(
            user,
            Method::POST,
            &path,
            Some(&json!({"occurrence_start": "2026-12-02T09:00:00Z"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let res = app
        .call_as(user, Method::POST, "/api/v1/calendar/feed-token", None)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
}

#[actix_web::test]
async fn deleting_an_account_leaves_no_row_of_it_anywhere() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let bystander = app.register_user().await;
    populate(&app, &user).await;
    populate(&app, &bystander).await;
    let bystander_before = rows_of(&app, &bystander).await;
    // Every table of every module holds rows of the user; a new table must be populated above.
    let before = rows_of(&app, &user).await;
    let empty: Vec<_> = before.iter().filter(|(_, n)| *n == 0).collect();
    assert!(
        empty.is_empty(),
        "tables without rows of the user: {empty:?}"
    );

    let wrong = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": "not my password at all"})),
        )
        .await;
    assert_eq!(wrong.problem(422)["errors"][0]["field"], "password");
    assert_eq!(
        rows_of(&app, &user).await,
        before,
        "nothing deleted on a wrong password"
    );

    let res = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": user.password})),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());

    let left: Vec<_> = rows_of(&app, &user)
        .await
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert!(left.is_empty(), "rows left behind: {left:?}");
    assert_eq!(
        rows_of(&app, &bystander).await,
        bystander_before,
        "other users untouched"
    );

    app.json(
        Method::POST,
        "/api/v1/auth/login",
        &json!({"email": user.email, "password": user.password}),
    )
    .await
    .problem(401);
    app.json(
        Method::POST,
        "/api/v1/auth/refresh",
        &json!({"refresh_token": user.refresh_token}),
    )
    .await
    .problem(401);
    app.get_as(&user, "/api/v1/users/me").await.problem(404);
}

#[actix_web::test]
async fn a_read_token_cannot_delete_the_account() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let pat = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "ro", "scope": "read"})),
        )
        .await
        .json();
    let res = app
        .call_with_token(
            pat["token"].as_str().unwrap(),
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": user.password})),
        )
        .await;
    res.problem(403);
    assert_eq!(app.get_as(&user, "/api/v1/users/me").await.status, 200);
}

#[actix_web::test]
async fn the_export_is_one_versioned_document_with_every_module() {
    let app = TestApp::spawn().await;
    let user = app
        .register_with(json!({"timezone": "Europe/Lisbon"}))
        .await;
    let other = app.register_user().await;
    populate(&app, &user).await;
    populate(&app, &other).await;

    let res = app.get_as(&user, "/api/v1/users/me/export").await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("content-type"), Some("application/json"));
    let doc = res.json();
    assert_eq!(doc["format"], "my-agent-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["user_id"], user.user_id.to_string());
    assert_eq!(doc["profile"][0]["email"], user.email);
    assert_eq!(doc["profile"][0]["timezone"], "Europe/Lisbon");
    assert_eq!(doc["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(doc["personal_access_tokens"].as_array().unwrap().len(), 1);
    for section in [
        "categories",
        "transactions",
        "budgets",
        "reminders",
        "calendar_events",
    ] {
        assert_eq!(
            doc[section].as_array().map(Vec::len),
            Some(1),
            "{section}: {doc}"
        );
    }
    let text = res.text();
    assert!(!text.contains(&other.email), "nothing of another user");
    assert!(!text.contains("argon2"), "no password hash");
    assert!(!text.contains("mya_pat_"), "no token secret");
}
