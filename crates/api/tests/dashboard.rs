//! The dashboard over HTTP: its values equal what the modules' own endpoints
//! report for the same user and clock, computed in the user's time zone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use chrono::{DateTime, Utc};
use kernel::FixedClock;
use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

async fn post(app: &TestApp, user: &TestUser, path: &str, body: Value) -> Value {
    let res = app.call_as(user, Method::POST, path, Some(&body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text());
    res.json()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[actix_web::test]
async fn the_dashboard_agrees_with_the_modules_in_the_users_zone() {
    // 02:30 UTC on Dec 1 is 23:30 on Nov 30 in São Paulo: still November there.
    let clock = FixedClock::at(at("2026-12-01T02:30:00Z"));
    let app = TestApp::builder().clock(clock).spawn().await;
    let user = app
        .register_with(json!({"timezone": "America/Sao_Paulo"}))
        .await;
    let stranger = app.register_user().await;

    let tx = "/api/v1/finances/transactions";
    for (kind, amount, day, category) in [
        ("income", "5000.00", "2026-11-05", "salary"),
        ("expense", "85.00", "2026-11-30", "food"),
        ("expense", "100.00", "2026-11-10", "rent"),
        ("expense", "12.34", "2026-11-30", "books"),
        ("expense", "999.99", "2026-12-01", "food"),
    ] {
        post(
            &app,
            &user,
            tx,
            json!({"kind": kind, "amount": amount, "occurred_on": day, "category": category}),
        )
        .await;
    }
    post(&app, &stranger, tx, json!({"kind": "expense", "amount": "777.77", "occurred_on": "2026-11-30", "category": "food"})).await;
    for (category, limit) in [("food", "100.00"), ("rent", "1000.00")] {
        let res = app
            .call_as(
                &user,
                Method::PUT,
                &format!("/api/v1/finances/budgets/{category}"),
                Some(&json!({"month": "2026-11", "limit": limit})),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
    }

    post(
        &app,
        &user,
        "/api/v1/reminders",
        json!({"title": "overdue", "due_at": "2026-11-30T20:00:00-03:00"}),
    )
    .await;
    for day in 1..=6 {
        post(&app, &user, "/api/v1/reminders", json!({"title": format!("later {day}"), "due_at": format!("2026-12-0{day}T09:00:00-03:00")})).await;
    }

    post(&app, &user, "/api/v1/calendar/events", json!({"title": "tonight", "starts_at": "2026-11-30T20:00:00-03:00", "ends_at": "2026-11-30T21:00:00-03:00"})).await;
    post(&app, &user, "/api/v1/calendar/events", json!({"title": "tomorrow", "starts_at": "2026-12-01T09:00:00-03:00", "ends_at": "2026-12-01T10:00:00-03:00"})).await;

    let res = app.get_as(&user, "/api/v1/dashboard").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let dash = res.json();
    assert_eq!(dash["timezone"], "America/Sao_Paulo");
    assert_eq!(dash["today"], "2026-11-30");

    let finances = &dash["finances"];
    assert_eq!(finances["status"], "ok", "{dash}");
    let summary = app.get_as(&user, "/api/v1/finances/summary").await.json();
    assert_eq!(
        summary["from"], "2026-11-01",
        "the summary's default month is the user's too"
    );
    for field in ["from", "to", "income", "expense", "balance"] {
        assert_eq!(finances[field], summary[field], "{field}");
    }
    assert_eq!(finances["expense"], "197.34");
    let top: Vec<&str> = finances["top_expense_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["rent", "food", "books"]);
    let alerts = finances["budgets_near_limit"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["category"], "food");
    assert_eq!(alerts[0]["percent"], "85.00");

    let reminders = &dash["reminders"];
    assert_eq!(reminders["status"], "ok");
    let overdue = app
        .get_as(&user, "/api/v1/reminders?overdue=true")
        .await
        .json();
    assert_eq!(
        reminders["overdue_count"],
        overdue["items"].as_array().unwrap().len()
    );
    assert_eq!(reminders["overdue_count"], 1);
    let next: Vec<&str> = reminders["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        next,
        ["later 1", "later 2", "later 3", "later 4", "later 5"]
    );

    let calendar = &dash["calendar"];
    assert_eq!(calendar["status"], "ok");
    let today: Vec<&str> = calendar["today"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(today, ["tonight"]);
    assert_eq!(calendar["upcoming"][0]["title"], "tomorrow");

    let theirs = app.get_as(&stranger, "/api/v1/dashboard").await.json();
    assert_eq!(
        theirs["finances"]["expense"], "0.00",
        "nothing of the first user: {theirs}"
    );
    assert_eq!(theirs["reminders"]["overdue_count"], 0);
    assert!(theirs["calendar"]["today"].as_array().unwrap().is_empty());
}

#[actix_web::test]
async fn the_dashboard_needs_a_token_and_is_documented() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/dashboard").await.problem(401);
    let doc = app.get("/api/v1/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/dashboard"]["get"].is_object());
}
