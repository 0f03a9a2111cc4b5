//! `ETag` and `If-Match` on transactions, categories and budgets, over HTTP
//! against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use common::*;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use testkit::{TestApp, TestResponse, TestUser};
use uuid::Uuid;

const CATS: &str = "/api/v1/finances/categories";
const BUDGETS: &str = "/api/v1/finances/budgets";

/// `method path` as `user` with `If-Match: tag` (no header when `None`).
async fn call_if(
    app: &TestApp,
    user: &TestUser,
    method: Method,
    path: &str,
    tag: Option<&str>,
    body: Option<&Value>,
) -> TestResponse {
    let mut req = app.request_as(&user.access_token, method, path);
    if let Some(tag) = tag {
        req = req.insert_header(("if-match", tag.to_owned()));
    }
    match body {
        Some(body) => {
            let req = req.insert_header(("content-type", "application/json"));
            app.send(req, Some(serde_json::to_vec(body).unwrap())).await
        }
        None => app.send(req, None).await,
    }
}

/// The `ETag` of a 2xx answer (asserting both).
fn etag(res: &TestResponse) -> String {
    assert!((200..300).contains(&res.status), "{}", res.text());
    let tag = res.header("etag").expect("an ETag").to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() > 2,
        "{tag}"
    );
    tag
}

/// `GET path`: 200, its body and its `ETag`.
async fn read(app: &TestApp, user: &TestUser, path: &str) -> (Value, String) {
    let res = app.get_as(user, path).await;
    let tag = etag(&res);
    (res.json(), tag)
}

#[actix_web::test]
async fn transactions_honour_if_match() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    let res = post_tx(&app, &user, &expense("10", "2026-11-10")).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let created = etag(&res);
    let url = format!("{TX}/{}", res.json()["id"].as_str().unwrap());
    let (_, v1) = read(&app, &user, &url).await;
    assert_eq!(v1, created, "the create's ETag is the stored version's");
    assert_eq!(
        read(&app, &user, &url).await.1,
        v1,
        "stable while unchanged"
    );

    // The current tag applies and answers the new one.
    let res = call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        Some(&v1),
        Some(&json!({"amount": "11"})),
    )
    .await;
    let v2 = etag(&res);
    assert_ne!(v2, v1);
    assert_eq!(res.json()["amount"], "11.00");
    assert_eq!(read(&app, &user, &url).await.1, v2);

    // A stale tag (alone, or weak) is 412 and changes nothing.
    let before = app.get_as(&user, &url).await.json();
    for stale in [v1.clone(), format!("W/{v2}"), "\"nope\"".to_owned()] {
        call_if(
            &app,
            &user,
            Method::PATCH,
            &url,
            Some(&stale),
            Some(&json!({"amount": "99"})),
        )
        .await
        .problem(412);
    }
    assert_eq!(app.get_as(&user, &url).await.json(), before);

    // One of a list, and `*`, apply.
    let list = format!("{v1}, {v2}");
    let v3 = etag(
        &call_if(
            &app,
            &user,
            Method::PATCH,
            &url,
            Some(&list),
            Some(&json!({"description": "lunch"})),
        )
        .await,
    );
    let res = call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        Some("*"),
        Some(&json!({"amount": "12"})),
    )
    .await;
    let v4 = etag(&res);
    assert!(v4 != v3 && v3 != v2);
    assert_eq!(res.json()["amount"], "12.00");

    // Renaming its category is a change a client sees: the tag moves.
    let res = call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        None,
        Some(&json!({"category": "Food"})),
    )
    .await;
    let v5 = etag(&res);
    let cats = app.get_as(&user, CATS).await.json();
    let cat_url = format!("{CATS}/{}", cats["items"][0]["id"].as_str().unwrap());
    assert_eq!(
        call_if(
            &app,
            &user,
            Method::PATCH,
            &cat_url,
            None,
            Some(&json!({"name": "Meals"}))
        )
        .await
        .status,
        200
    );
    let (t, v6) = read(&app, &user, &url).await;
    assert_eq!(t["category"], "Meals");
    assert_ne!(v6, v5);
    call_if(&app, &user, Method::DELETE, &url, Some(&v5), None)
        .await
        .problem(412);

    // Another user's transaction is not there, whatever the precondition.
    for tag in ["*", v6.as_str()] {
        call_if(
            &app,
            &other,
            Method::PATCH,
            &url,
            Some(tag),
            Some(&json!({"amount": "1"})),
        )
        .await
        .problem(404);
        call_if(&app, &other, Method::DELETE, &url, Some(tag), None)
            .await
            .problem(404);
    }

    // DELETE: stale 412 (still there), current 204, then 404 even with `*`.
    call_if(&app, &user, Method::DELETE, &url, Some(&v1), None)
        .await
        .problem(412);
    assert_eq!(read(&app, &user, &url).await.1, v6);
    let res = call_if(&app, &user, Method::DELETE, &url, Some(&v6), None).await;
    assert_eq!(res.status, 204, "{}", res.text());
    app.get_as(&user, &url).await.problem(404);
    call_if(&app, &user, Method::DELETE, &url, Some("*"), None)
        .await
        .problem(404);
    call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        Some("*"),
        Some(&json!({"amount": "1"})),
    )
    .await
    .problem(404);
}

#[actix_web::test]
async fn categories_honour_if_match() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    let res = call_if(
        &app,
        &user,
        Method::POST,
        CATS,
        None,
        Some(&json!({"name": "Food"})),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let created = etag(&res);
    let url = format!("{CATS}/{}", res.json()["id"].as_str().unwrap());
    let (_, v1) = read(&app, &user, &url).await;
    assert_eq!(v1, created);

    let res = call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        Some(&v1),
        Some(&json!({"name": "Groceries"})),
    )
    .await;
    let v2 = etag(&res);
    assert_ne!(v2, v1);
    assert_eq!(read(&app, &user, &url).await.1, v2);

    call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        Some(&v1),
        Some(&json!({"name": "Stale"})),
    )
    .await
    .problem(412);
    assert_eq!(app.get_as(&user, &url).await.json()["name"], "Groceries");

    let res = call_if(
        &app,
        &user,
        Method::PATCH,
        &url,
        Some("*"),
        Some(&json!({"name": "Meals"})),
    )
    .await;
    let v3 = etag(&res);
    assert_eq!(res.json()["name"], "Meals");
    assert_ne!(v3, v2);

    for tag in ["*", v3.as_str()] {
        call_if(
            &app,
            &other,
            Method::PATCH,
            &url,
            Some(tag),
            Some(&json!({"name": "Mine"})),
        )
        .await
        .problem(404);
        call_if(&app, &other, Method::DELETE, &url, Some(tag), None)
            .await
            .problem(404);
    }

    call_if(&app, &user, Method::DELETE, &url, Some(&v2), None)
        .await
        .problem(412);
    assert_eq!(read(&app, &user, &url).await.1, v3);
    let res = call_if(&app, &user, Method::DELETE, &url, Some(&v3), None).await;
    assert_eq!(res.status, 204, "{}", res.text());
    app.get_as(&user, &url).await.problem(404);
    call_if(&app, &user, Method::DELETE, &url, Some("*"), None)
        .await
        .problem(404);
}

/// `(category, limit)` of the user's budgets of `month`.
async fn limits(app: &TestApp, user: &TestUser, month: &str) -> Vec<(String, String)> {
    let page = app
        .get_as(user, &format!("{BUDGETS}?month={month}"))
        .await
        .json();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["category"].as_str().unwrap().to_owned(),
                b["limit"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn budgets_honour_if_match() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    let food = format!("{BUDGETS}/Food");

    // With If-Match and no budget yet for the month: 412, nothing created
    // (not even the category). Without it, PUT creates.
    for tag in ["*", "\"nope\""] {
        call_if(
            &app,
            &user,
            Method::PUT,
            &food,
            Some(tag),
            Some(&json!({"month": "2026-11", "limit": "100"})),
        )
        .await
        .problem(412);
    }
    assert!(limits(&app, &user, "2026-11").await.is_empty());
    let cats = app.get_as(&user, CATS).await.json();
    assert!(cats["items"].as_array().unwrap().is_empty());
    let v1 = etag(
        &call_if(
            &app,
            &user,
            Method::PUT,
            &food,
            None,
            Some(&json!({"month": "2026-11", "limit": "100"})),
        )
        .await,
    );

    // The current tag replaces and answers the new one (any case of the name).
    let res = call_if(
        &app,
        &user,
        Method::PUT,
        &format!("{BUDGETS}/FOOD"),
        Some(&v1),
        Some(&json!({"month": "2026-11", "limit": "200"})),
    )
    .await;
    let v2 = etag(&res);
    assert_ne!(v2, v1);
    assert_eq!(res.json()["limit"], "200.00");

    // A stale tag is 412 and changes nothing; so is another month's budget's.
    call_if(
        &app,
        &user,
        Method::PUT,
        &food,
        Some(&v1),
        Some(&json!({"month": "2026-11", "limit": "300"})),
    )
    .await
    .problem(412);
    let dec = etag(
        &call_if(
            &app,
            &user,
            Method::PUT,
            &food,
            None,
            Some(&json!({"month": "2026-12", "limit": "5"})),
        )
        .await,
    );
    call_if(
        &app,
        &user,
        Method::PUT,
        &food,
        Some(&dec),
        Some(&json!({"month": "2026-11", "limit": "300"})),
    )
    .await
    .problem(412);
    assert_eq!(
        limits(&app, &user, "2026-11").await,
        [("Food".to_owned(), "200.00".to_owned())]
    );

    let res = call_if(
        &app,
        &user,
        Method::PUT,
        &food,
        Some("*"),
        Some(&json!({"month": "2026-11", "limit": "250"})),
    )
    .await;
    let v3 = etag(&res);
    assert_ne!(v3, v2);
    assert_eq!(
        limits(&app, &user, "2026-11").await,
        [("Food".to_owned(), "250.00".to_owned())]
    );

    // Another user: no budget of theirs to match (PUT 412, DELETE 404); mine stays.
    call_if(
        &app,
        &other,
        Method::PUT,
        &food,
        Some("*"),
        Some(&json!({"month": "2026-11", "limit": "1"})),
    )
    .await
    .problem(412);
    for tag in ["*", v3.as_str()] {
        call_if(
            &app,
            &other,
            Method::DELETE,
            &format!("{food}?month=2026-11"),
            Some(tag),
            None,
        )
        .await
        .problem(404);
    }
    assert!(limits(&app, &other, "2026-11").await.is_empty());

    // DELETE: stale 412 (still there), current 204, then 404 even with `*`.
    let nov = format!("{food}?month=2026-11");
    call_if(&app, &user, Method::DELETE, &nov, Some(&v2), None)
        .await
        .problem(412);
    assert_eq!(
        limits(&app, &user, "2026-11").await,
        [("Food".to_owned(), "250.00".to_owned())]
    );
    let res = call_if(&app, &user, Method::DELETE, &nov, Some(&v3), None).await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert!(limits(&app, &user, "2026-11").await.is_empty());
    call_if(&app, &user, Method::DELETE, &nov, Some("*"), None)
        .await
        .problem(404);
    // December's budget was never touched.
    let res = call_if(
        &app,
        &user,
        Method::DELETE,
        &format!("{food}?month=2026-12"),
        Some(&dec),
        None,
    )
    .await;
    assert_eq!(res.status, 204, "{}", res.text());
}

/// How many writers race with one tag (the app's pool has 4 connections).
const RACERS: usize = 3;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Runs `writes` at once while the test holds the row lock of `lock` (a
/// `SELECT … FOR UPDATE` binding `id`), and releases it only once every
/// write waits on a lock: they all start from the same version of the row.
async fn race_behind_lock(
    app: &TestApp,
    lock: &str,
    id: &Value,
    writes: Vec<impl Future<Output = TestResponse>>,
) -> Vec<TestResponse> {
    let id: Uuid = id.as_str().unwrap().parse().unwrap();
    let mut holder = app.db().connect().await;
    let mut watcher = app.db().connect().await;
    diesel::sql_query("BEGIN")
        .execute(&mut holder)
        .await
        .unwrap();
    let locked = diesel::sql_query(lock)
        .bind::<SqlUuid, _>(id)
        .execute(&mut holder)
        .await
        .unwrap();
    assert_eq!(locked, 1, "{lock}");
    let release = async {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let waiting = diesel::sql_query(
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .get_result::<Count>(&mut watcher)
            .await
            .unwrap()
            .n;
            if waiting >= RACERS as i64 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{waiting} of {RACERS} writes wait"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        diesel::sql_query("COMMIT")
            .execute(&mut holder)
            .await
            .unwrap();
    };
    let (responses, ()) =
        futures_util::future::join(futures_util::future::join_all(writes), release).await;
    responses
}

/// Exactly one of `responses` is 200; it is returned. The rest are 412.
fn one_winner(responses: &[TestResponse]) -> &TestResponse {
    let mut statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    let mut expected = vec![412; RACERS];
    expected[0] = 200;
    assert_eq!(
        statuses,
        expected,
        "{:?}",
        responses.iter().map(TestResponse::text).collect::<Vec<_>>()
    );
    responses.iter().find(|r| r.status == 200).unwrap()
}

/// Writes racing with the same tag: exactly one applies, the others are 412
/// (the precondition is checked on the row locked for the write).
#[actix_web::test]
async fn racing_writes_with_one_tag_apply_once() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;

    // Transactions: the winner's amount is the one kept.
    let t = create_tx(&app, &user, expense("1", "2026-11-10")).await;
    let url = format!("{TX}/{}", t["id"].as_str().unwrap());
    let (_, tag) = read(&app, &user, &url).await;
    let bodies: Vec<Value> = (0..RACERS)
        .map(|i| json!({"amount": format!("{}", 100 + i)}))
        .collect();
    let writes = bodies
        .iter()
        .map(|b| call_if(&app, &user, Method::PATCH, &url, Some(&tag), Some(b)))
        .collect();
    let lock = "SELECT 1 FROM finances.transactions WHERE id = $1 FOR UPDATE";
    let responses = race_behind_lock(&app, lock, &t["id"], writes).await;
    let winner = one_winner(&responses);
    let (now, now_tag) = read(&app, &user, &url).await;
    assert_eq!(now["amount"], winner.json()["amount"]);
    assert_eq!(now_tag, etag(winner));

    // Categories.
    let cat = app
        .call_as(&user, Method::POST, CATS, Some(&json!({"name": "Race"})))
        .await
        .json();
    let cat_url = format!("{CATS}/{}", cat["id"].as_str().unwrap());
    let (_, tag) = read(&app, &user, &cat_url).await;
    let bodies: Vec<Value> = (0..RACERS)
        .map(|i| json!({"name": format!("Race {i}")}))
        .collect();
    let writes = bodies
        .iter()
        .map(|b| call_if(&app, &user, Method::PATCH, &cat_url, Some(&tag), Some(b)))
        .collect();
    let lock = "SELECT 1 FROM finances.categories WHERE id = $1 FOR UPDATE";
    let responses = race_behind_lock(&app, lock, &cat["id"], writes).await;
    let winner = one_winner(&responses);
    assert_eq!(
        read(&app, &user, &cat_url).await.0["name"],
        winner.json()["name"]
    );

    // Budgets.
    let path = format!("{BUDGETS}/Budgeted");
    let res = call_if(
        &app,
        &user,
        Method::PUT,
        &path,
        None,
        Some(&json!({"month": "2026-11", "limit": "1"})),
    )
    .await;
    let tag = etag(&res);
    let category_id = res.json()["category_id"].clone();
    let bodies: Vec<Value> = (0..RACERS)
        .map(|i| json!({"month": "2026-11", "limit": format!("{}", 10 + i)}))
        .collect();
    let writes = bodies
        .iter()
        .map(|b| call_if(&app, &user, Method::PUT, &path, Some(&tag), Some(b)))
        .collect();
    let lock = "SELECT 1 FROM finances.budgets \
                WHERE category_id = $1 AND month = DATE '2026-11-01' FOR UPDATE";
    let responses = race_behind_lock(&app, lock, &category_id, writes).await;
    let winner = one_winner(&responses);
    assert_eq!(
        limits(&app, &user, "2026-11").await,
        [(
            "Budgeted".to_owned(),
            winner.json()["limit"].as_str().unwrap().to_owned()
        )]
    );
}

/// The OpenAPI document names the `ETag`s, the `If-Match` parameters and the 412s.
#[actix_web::test]
async fn preconditions_are_documented() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let paths = &doc["paths"];
    let op = |path: &str, method: &str| {
        let op = paths[format!("/api/v1/finances{path}")][method].clone();
        assert!(op.is_object(), "{method} {path} is missing");
        op
    };
    for (path, method, status) in [
        ("/transactions", "post", "201"),
        ("/transactions/{id}", "get", "200"),
        ("/transactions/{id}", "patch", "200"),
        ("/categories", "post", "201"),
        ("/categories/{id}", "get", "200"),
        ("/categories/{id}", "patch", "200"),
        ("/budgets/{category}", "put", "200"),
    ] {
        let headers = &op(path, method)["responses"][status]["headers"];
        assert!(
            headers["ETag"].is_object(),
            "{method} {path}: no ETag in {headers}"
        );
    }
    for (path, method) in [
        ("/transactions/{id}", "patch"),
        ("/transactions/{id}", "delete"),
        ("/categories/{id}", "patch"),
        ("/categories/{id}", "delete"),
        ("/budgets/{category}", "put"),
        ("/budgets/{category}", "delete"),
    ] {
        let op = op(path, method);
        let params = op["parameters"].as_array().unwrap();
        assert!(
            params
                .iter()
                .any(|p| p["name"] == "If-Match" && p["in"] == "header"),
            "{method} {path}: no If-Match parameter"
        );
        let problem = &op["responses"]["412"]["content"]["application/problem+json"];
        assert!(problem.is_object(), "{method} {path}: no 412 problem");
    }
}
