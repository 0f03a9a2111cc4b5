//! Writes to one event apply one after the other, on the row locked in their
//! transaction: a cancelled occurrence changes the event's tag, racing
//! PATCHes with one tag apply once, and a PATCH queued behind a cancellation
//! keeps it instead of writing back the exceptions it read before.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use common::{create, user_in};
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use testkit::{TestApp, TestResponse, TestUser};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn series(app: &TestApp, user: &TestUser) -> (String, uuid::Uuid) {
    let ev = create(
        app,
        user,
        json!({"title": "Standup", "starts_at": "2026-12-01T09:00:00Z",
               "ends_at": "2026-12-01T09:15:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await;
    let id = ev["id"].as_str().unwrap();
    (format!("/api/v1/calendar/events/{id}"), id.parse().unwrap())
}

async fn tag(app: &TestApp, user: &TestUser, path: &str) -> String {
    let res = app.get_as(user, path).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.header("etag").unwrap().to_owned()
}

async fn patch(
    app: &TestApp,
    user: &TestUser,
    path: &str,
    if_match: Option<&str>,
    body: &Value,
) -> TestResponse {
    let mut req = app
        .request_as(&user.access_token, Method::PATCH, path)
        .insert_header(("content-type", "application/json"));
    if let Some(tag) = if_match {
        req = req.insert_header(("if-match", tag.to_owned()));
    }
    app.send(req, Some(serde_json::to_vec(body).unwrap())).await
}

async fn cancel(app: &TestApp, user: &TestUser, path: &str, start: &str) -> TestResponse {
    app.call_as(
        user,
        Method::POST,
        &format!("{path}/exceptions"),
        Some(&json!({"occurrence_start": start})),
    )
    .await
}

/// Holds the event's row lock on a connection of its own until released.
async fn hold(app: &TestApp, id: uuid::Uuid) -> AsyncPgConnection {
    let mut holder = app.db().connect().await;
    diesel::sql_query("BEGIN")
        .execute(&mut holder)
        .await
        .unwrap();
    let locked = diesel::sql_query("SELECT 1 FROM calendar.events WHERE id = $1 FOR UPDATE")
        .bind::<SqlUuid, _>(id)
        .execute(&mut holder)
        .await
        .unwrap();
    assert_eq!(locked, 1);
    holder
}

/// Waits until `n` statements of this database wait on a lock.
async fn until_waiting(watcher: &mut AsyncPgConnection, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let waiting = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .get_result::<Count>(watcher)
        .await
        .unwrap()
        .n;
        if waiting >= n {
            return;
        }
        assert!(Instant::now() < deadline, "{waiting} of {n} writes wait");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn cancelling_or_restoring_an_occurrence_changes_the_events_tag() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    let (path, _) = series(&app, &user).await;
    let before = tag(&app, &user, &path).await;

    let res = cancel(&app, &user, &path, "2026-12-03T09:00:00Z").await;
    assert_eq!(res.status, 201, "{}", res.text());
    let exception = res.json()["id"].as_str().unwrap().to_owned();
    let cancelled = tag(&app, &user, &path).await;
    assert_ne!(cancelled, before);

    // The tag read before the cancellation is stale: nothing is written back.
    patch(&app, &user, &path, Some(&before), &json!({"title": "x"}))
        .await
        .problem(412);
    let ev = app.get_as(&user, &path).await.json();
    assert_eq!(ev["title"], "Standup");
    assert_eq!(ev["exdates"], json!(["2026-12-03T09:00:00Z"]));

    let res = app
        .call_as(
            &user,
            Method::DELETE,
            &format!("{path}/exceptions/{exception}"),
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert_ne!(tag(&app, &user, &path).await, cancelled);
}

#[actix_web::test]
async fn racing_patches_with_one_tag_apply_once() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    let (path, id) = series(&app, &user).await;
    let current = tag(&app, &user, &path).await;

    let mut holder = hold(&app, id).await;
    let mut watcher = app.db().connect().await;
    let bodies: Vec<Value> = (0..3).map(|i| json!({"title": format!("t{i}")})).collect();
    let writes = futures_util::future::join_all(
        bodies
            .iter()
            .map(|b| patch(&app, &user, &path, Some(&current), b)),
    );
    let release = async {
        until_waiting(&mut watcher, 3).await;
        diesel::sql_query("COMMIT")
            .execute(&mut holder)
            .await
            .unwrap();
    };
    let (responses, ()) = futures_util::future::join(writes, release).await;
    let mut statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412, 412]);
    let winner = responses.iter().find(|r| r.status == 200).unwrap();
    assert_eq!(
        app.get_as(&user, &path).await.json()["title"],
        winner.json()["title"]
    );
}

#[actix_web::test]
async fn a_patch_queued_behind_a_cancellation_keeps_it() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    let (path, id) = series(&app, &user).await;

    let mut holder = hold(&app, id).await;
    let mut watcher = app.db().connect().await;
    // The cancellation queues first, then the PATCH: once the lock is
    // released the PATCH must see the cancellation, not write back what the
    // event held before it.
    let cancelling = cancel(&app, &user, &path, "2026-12-03T09:00:00Z");
    let patching = async {
        until_waiting(&mut watcher, 1).await;
        patch(&app, &user, &path, None, &json!({"title": "Daily"})).await
    };
    let release = async {
        let mut watcher = app.db().connect().await;
        until_waiting(&mut watcher, 2).await;
        diesel::sql_query("COMMIT")
            .execute(&mut holder)
            .await
            .unwrap();
    };
    let (cancelled, patched, ()) = futures_util::future::join3(cancelling, patching, release).await;
    assert_eq!(cancelled.status, 201, "{}", cancelled.text());
    assert_eq!(patched.status, 200, "{}", patched.text());

    let ev = app.get_as(&user, &path).await.json();
    assert_eq!(ev["title"], "Daily");
    assert_eq!(ev["exdates"], json!(["2026-12-03T09:00:00Z"]));
}
