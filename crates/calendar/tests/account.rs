//! The calendar's share of account deletion and export, and its routes in
//! the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use common::{create, feed_path, user_in};
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use serde_json::json;
use testkit::{TestApp, TestUser};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn calendar_rows(app: &TestApp, user: &TestUser) -> i64 {
    let mut conn = app.db().connect().await;
    let mut total = 0;
    for table in ["events", "event_exceptions", "feed_tokens"] {
        let rows: Vec<Count> = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM calendar.{table} WHERE user_id = '{}'",
            user.user_id
        ))
        .load(&mut conn)
        .await
        .unwrap();
        total += rows[0].n;
    }
    total
}

async fn populate(app: &TestApp, user: &TestUser) {
    let ev = create(
        app,
        user,
        json!({"title": "Series", "starts_at": "2026-03-02T09:00:00Z", "ends_at": "2026-03-02T10:00:00Z", "rrule": "FREQ=DAILY;COUNT=5"}),
    )
    .await;
    let res = app
        .call_as(
            user,
            Method::POST,
            &format!(
                "/api/v1/calendar/events/{}/exceptions",
                ev["id"].as_str().unwrap()
            ),
            Some(&json!({"occurrence_start": "2026-03-03T09:00:00Z"})),
        )
        .await;
    assert_eq!(res.status, 201);
    create(app, user, json!({"title": "Day", "starts_at": "2026-03-05", "ends_at": "2026-03-06", "all_day": true})).await;
    feed_path(app, user).await;
}

#[actix_web::test]
async fn account_deletion_and_export_cover_the_calendar() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    let other = user_in(&app, "UTC").await;
    populate(&app, &user).await;
    populate(&app, &other).await;
    assert_eq!(calendar_rows(&app, &user).await, 4);

    let res = app.get_as(&user, "/api/v1/users/me/export").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let doc = res.json();
    let events = doc["calendar_events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let series = events.iter().find(|e| e["title"] == "Series").unwrap();
    assert_eq!(series["rrule"], "FREQ=DAILY;COUNT=5");
    assert_eq!(series["exdates"], json!(["2026-03-03T09:00:00Z"]));
    let day = events.iter().find(|e| e["title"] == "Day").unwrap();
    assert_eq!(
        (day["starts_at"].as_str(), day["all_day"].as_bool()),
        (Some("2026-03-05"), Some(true))
    );
    assert!(!res.text().contains("cal_"), "no feed secret in the export");

    let res = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": user.password})),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert_eq!(calendar_rows(&app, &user).await, 0);
    assert_eq!(
        calendar_rows(&app, &other).await,
        4,
        "another user's calendar is untouched"
    );
}

#[actix_web::test]
async fn every_calendar_route_is_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/calendar/events", vec!["get", "post"]),
        (
            "/api/v1/calendar/events/{id}",
            vec!["get", "patch", "delete"],
        ),
        ("/api/v1/calendar/events/{id}/exceptions", vec!["post"]),
        (
            "/api/v1/calendar/events/{id}/exceptions/{exception_id}",
            vec!["delete"],
        ),
        ("/api/v1/calendar/feed-token", vec!["post"]),
        ("/api/v1/calendar/feed.ics", vec!["get"]),
        ("/api/v1/calendar/import", vec!["post"]),
    ] {
        let item = paths.get(path).unwrap_or_else(|| panic!("{path} missing"));
        for m in methods {
            assert_eq!(item[m]["tags"][0], "calendar", "{m} {path}");
        }
    }
    assert!(
        doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "calendar")
    );
    // The feed needs no bearer; the others do.
    assert!(
        paths["/api/v1/calendar/feed.ics"]["get"]
            .get("security")
            .is_none()
    );
    assert!(paths["/api/v1/calendar/import"]["post"]["security"].is_array());
}
