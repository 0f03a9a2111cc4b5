//! Recurring reminders over HTTP against a real database, on a fixed clock:
//! occurrences in the user's time zone across DST, COUNT/UNTIL exhaustion,
//! repeat-from-completion, snooze then complete, and RRULE validation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use chrono::Timelike as _;
use chrono_tz::Tz;
use common::{act, at, create, fields, move_to, spawn_at, user_in, utc};
use serde_json::json;

#[actix_web::test]
async fn weekly_18h_stays_at_18h_in_new_york_across_the_end_of_dst() {
    let (app, clock) = spawn_at("2026-10-28T12:00:00Z").await;
    let user = user_in(&app, "America/New_York").await;
    // Thursday 18:00 EDT; DST ends Sunday 2026-11-01.
    let r = create(
        &app,
        &user,
        json!({"title": "Trash out", "due_at": "2026-10-29T18:00:00-04:00", "rrule": "FREQ=WEEKLY"}),
    )
    .await;
    assert_eq!(at(&r["due_at"]), utc("2026-10-29T22:00:00Z"));
    assert_eq!(r["rrule"], "FREQ=WEEKLY");
    assert_eq!(r["repeat_from"], "due");

    let user = move_to(&app, &clock, &user, "2026-10-29T22:30:00Z").await;
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(r["status"], "pending");
    assert_eq!(at(&r["completed_at"]), utc("2026-10-29T22:30:00Z"));
    assert_eq!(at(&r["due_at"]), utc("2026-11-05T23:00:00Z"), "18:00 EST");
    assert_eq!(r["due_at"], r["scheduled_at"]);
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-12T23:00:00Z"));
    let ny: Tz = "America/New_York".parse().unwrap();
    assert_eq!(at(&r["due_at"]).with_timezone(&ny).hour(), 18);
    assert_eq!(at(&r["series_start"]), utc("2026-10-29T22:00:00Z"));
}

#[actix_web::test]
async fn weekly_18h_stays_at_18h_in_lisbon_across_the_start_of_dst() {
    let (app, clock) = spawn_at("2027-03-20T12:00:00Z").await;
    let user = user_in(&app, "Europe/Lisbon").await;
    // Thursday 18:00 WET (UTC+0); DST starts Sunday 2027-03-28.
    let r = create(
        &app,
        &user,
        json!({"title": "Call mum", "due_at": "2027-03-25T18:00:00Z", "rrule": "FREQ=WEEKLY;BYDAY=TH"}),
    )
    .await;
    let user = move_to(&app, &clock, &user, "2027-03-25T19:00:00Z").await;
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2027-04-01T17:00:00Z"), "18:00 WEST");
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2027-04-08T17:00:00Z"));
}

#[actix_web::test]
async fn sao_paulo_keeps_its_offset_all_year() {
    let (app, _clock) = spawn_at("2026-10-28T12:00:00Z").await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let r = create(
        &app,
        &user,
        json!({"title": "Gym", "due_at": "2026-10-29T18:00:00-03:00", "rrule": "FREQ=WEEKLY"}),
    )
    .await;
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-05T21:00:00Z"));
}

#[actix_web::test]
async fn occurrences_follow_the_profile_zone_at_the_time_of_computation() {
    let (app, _clock) = spawn_at("2026-10-28T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &user,
        json!({"title": "Weekly review", "due_at": "2026-10-29T22:00:00Z", "rrule": "FREQ=WEEKLY"}),
    )
    .await;
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"timezone": "America/New_York"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    // 22:00Z is 18:00 EDT at the start: the series now repeats at 18:00 New York time.
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-05T23:00:00Z"));
}

#[actix_web::test]
async fn count_is_exhausted_then_the_reminder_is_done_and_can_be_reopened() {
    let (app, _clock) = spawn_at("2026-11-25T08:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &user,
        json!({"title": "Pills", "due_at": "2026-11-25T09:00:00Z", "rrule": "FREQ=DAILY;COUNT=3"}),
    )
    .await;
    let id = r["id"].clone();
    let r = act(&app, &user, &id, "complete", None).await;
    assert_eq!(
        (r["status"].as_str(), at(&r["due_at"])),
        (Some("pending"), utc("2026-11-26T09:00:00Z"))
    );
    let r = act(&app, &user, &id, "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-27T09:00:00Z"));
    let r = act(&app, &user, &id, "complete", None).await;
    assert_eq!(r["status"], "done", "three occurrences, three completions");
    assert_eq!(at(&r["due_at"]), utc("2026-11-27T09:00:00Z"));
    assert_eq!(at(&r["completed_at"]), utc("2026-11-25T08:00:00Z"));

    let path = format!("/api/v1/reminders/{}/complete", id.as_str().unwrap());
    app.call_as(&user, Method::POST, &path, None)
        .await
        .problem(409);

    let r = act(&app, &user, &id, "reopen", None).await;
    assert_eq!(r["status"], "pending");
    assert!(r["completed_at"].is_null());
    let path = format!("/api/v1/reminders/{}/reopen", id.as_str().unwrap());
    app.call_as(&user, Method::POST, &path, None)
        .await
        .problem(409);
    let r = act(&app, &user, &id, "complete", None).await;
    assert_eq!(r["status"], "done", "still no occurrence left");
}

#[actix_web::test]
async fn until_ends_the_series_inclusively() {
    let (app, _clock) = spawn_at("2026-11-25T08:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &user,
        json!({"title": "Standup", "due_at": "2026-11-25T09:00:00Z", "rrule": "FREQ=DAILY;UNTIL=20261126T090000Z"}),
    )
    .await;
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-26T09:00:00Z"));
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(r["status"], "done");
}

#[actix_web::test]
async fn repeat_from_completion_counts_from_when_it_was_done() {
    let (app, clock) = spawn_at("2026-11-25T08:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let from_completion = create(
        &app,
        &user,
        json!({"title": "Water plants", "due_at": "2026-11-25T09:00:00Z", "rrule": "FREQ=DAILY", "repeat_from": "completion"}),
    )
    .await;
    let from_due = create(
        &app,
        &user,
        json!({"title": "Log weight", "due_at": "2026-11-25T09:00:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await;
    assert_eq!(from_completion["repeat_from"], "completion");
    // Completed three days late.
    let user = move_to(&app, &clock, &user, "2026-11-28T12:00:00Z").await;
    let r = act(&app, &user, &from_completion["id"], "complete", None).await;
    assert_eq!(
        at(&r["due_at"]),
        utc("2026-11-29T09:00:00Z"),
        "next after the completion"
    );
    let r = act(&app, &user, &from_due["id"], "complete", None).await;
    assert_eq!(
        at(&r["due_at"]),
        utc("2026-11-26T09:00:00Z"),
        "next after the due"
    );
    // Completed early (before its due): still moves on by one occurrence.
    let r = act(&app, &user, &from_completion["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-30T09:00:00Z"));
}

#[actix_web::test]
async fn snooze_moves_this_occurrence_only_then_complete_follows_the_schedule() {
    let (app, clock) = spawn_at("2026-11-30T09:05:00Z").await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    // Mondays 06:00 in São Paulo (09:00Z).
    let r = create(
        &app,
        &user,
        json!({"title": "Plan the week", "due_at": "2026-11-30T06:00:00-03:00", "rrule": "FREQ=WEEKLY;BYDAY=MO"}),
    )
    .await;
    let r = act(
        &app,
        &user,
        &r["id"],
        "snooze",
        Some(&json!({"until": "2026-11-30T10:00:00-03:00"})),
    )
    .await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-30T13:00:00Z"));
    assert_eq!(
        at(&r["scheduled_at"]),
        utc("2026-11-30T09:00:00Z"),
        "the schedule stays"
    );
    assert_eq!(r["status"], "pending");

    let user = move_to(&app, &clock, &user, "2026-11-30T13:30:00Z").await;
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(
        at(&r["due_at"]),
        utc("2026-12-07T09:00:00Z"),
        "next Monday 06:00, not 10:00"
    );
    assert_eq!(r["due_at"], r["scheduled_at"]);
}

#[actix_web::test]
async fn snooze_needs_a_future_instant_and_a_pending_reminder() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &user,
        json!({"title": "Once", "due_at": "2026-11-25T12:00:00Z"}),
    )
    .await;
    let path = format!("/api/v1/reminders/{}/snooze", r["id"].as_str().unwrap());
    for until in ["2026-11-25T12:00:00Z", "2026-11-25T11:00:00Z", "tomorrow"] {
        let p = app
            .call_as(&user, Method::POST, &path, Some(&json!({"until": until})))
            .await
            .problem(422);
        assert_eq!(fields(&p), ["until"], "{until}");
    }
    app.call_as(&user, Method::POST, &path, Some(&json!({})))
        .await
        .problem(422);
    let r = act(
        &app,
        &user,
        &r["id"],
        "snooze",
        Some(&json!({"until": "2026-11-25T12:00:01Z"})),
    )
    .await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-25T12:00:01Z"));
    assert!(
        r["scheduled_at"].is_null(),
        "a one-off reminder has no schedule"
    );
    act(&app, &user, &r["id"], "complete", None).await;
    app.call_as(
        &user,
        Method::POST,
        &path,
        Some(&json!({"until": "2026-11-26T00:00:00Z"})),
    )
    .await
    .problem(409);
}

#[actix_web::test]
async fn invalid_rules_are_refused_on_write() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    for rule in [
        "FREQ=FORTNIGHTLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=DAILY;COUNT=3;UNTIL=20271231T000000Z",
        "FREQ=DAILY;UNTIL=20271231",
        "FREQ=DAILY;UNTIL=20261124T000000Z",
        "FREQ=MINUTELY",
        "BYDAY=MO",
        "",
    ] {
        let res = app
            .call_as(
                &user,
                Method::POST,
                "/api/v1/reminders",
                Some(&json!({"title": "x", "due_at": "2026-11-25T12:00:00Z", "rrule": rule})),
            )
            .await;
        let p = res.problem(422);
        assert_eq!(fields(&p), ["rrule"], "{rule}: {p}");
    }
    let p = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/reminders",
            Some(&json!({"title": "x", "due_at": "2026-11-25T12:00:00Z", "repeat_from": "completion"})),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["repeat_from"]);

    let r = create(
        &app,
        &user,
        json!({"title": "x", "due_at": "2026-11-25T12:00:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await;
    let path = format!("/api/v1/reminders/{}", r["id"].as_str().unwrap());
    let p = app
        .call_as(
            &user,
            Method::PATCH,
            &path,
            Some(&json!({"rrule": "FREQ=WEEKLY;BYDAY=ZZ"})),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["rrule"]);
    let unchanged = app.get_as(&user, &path).await.json();
    assert_eq!(unchanged["rrule"], "FREQ=DAILY");
}

#[actix_web::test]
async fn patching_the_rule_or_due_time_restarts_the_series_and_null_stops_it() {
    let (app, _clock) = spawn_at("2026-11-25T08:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &user,
        json!({"title": "Pills", "due_at": "2026-11-25T09:00:00Z", "rrule": "FREQ=DAILY;COUNT=2"}),
    )
    .await;
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-11-26T09:00:00Z"));
    let path = format!("/api/v1/reminders/{}", r["id"].as_str().unwrap());
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            &path,
            Some(&json!({"rrule": "FREQ=WEEKLY;COUNT=2", "repeat_from": "completion"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let r = res.json();
    assert_eq!(r["rrule"], "FREQ=WEEKLY;COUNT=2");
    assert_eq!(r["repeat_from"], "completion");
    assert_eq!(
        at(&r["series_start"]),
        utc("2026-11-26T09:00:00Z"),
        "restarted at the due time"
    );
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(at(&r["due_at"]), utc("2026-12-03T09:00:00Z"));

    let r = app
        .call_as(&user, Method::PATCH, &path, Some(&json!({"rrule": null})))
        .await
        .json();
    assert!(r["rrule"].is_null() && r["repeat_from"].is_null() && r["scheduled_at"].is_null());
    let r = act(&app, &user, &r["id"], "complete", None).await;
    assert_eq!(r["status"], "done", "no longer repeats");
    let p = app
        .call_as(
            &user,
            Method::PATCH,
            &path,
            Some(&json!({"repeat_from": "due"})),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["repeat_from"]);
}
