//! Events over HTTP against a real database: CRUD, the range query with
//! recurrence expanded across DST in two zones, all-day events in a non-UTC
//! zone, cancelled occurrences, cross-user 404s, and the index behind the
//! range query (RULES R10).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use calendar::application::{CalendarService, UserTimezones};
use calendar::infra::{PgEvents, PgFeedTokens, PgIdempotencyStore};
use common::{create, items, range, starts, user_in, utc};
use diesel_async::RunQueryDsl;
use kernel::infra::PgTransactor;
use kernel::{ApiError, FixedClock, UserId};
use serde_json::json;
use std::sync::Arc;
use testkit::TestApp;

#[actix_web::test]
async fn events_have_crud_validation_and_etags() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let ev = create(
        &app,
        &user,
        json!({"title": "Dentist", "starts_at": "2026-11-25T09:00:00-03:00", "ends_at": "2026-11-25T10:00:00-03:00",
               "location": "Rua A, 1", "description": "bring x-rays"}),
    )
    .await;
    assert_eq!(ev["starts_at"], "2026-11-25T12:00:00Z");
    assert_eq!(
        ev["timezone"], "America/Sao_Paulo",
        "defaults to the user's zone"
    );
    assert_eq!(ev["all_day"], false);
    assert!(ev["uid"].as_str().unwrap().ends_with("@my-agent"));
    let path = format!("/api/v1/calendar/events/{}", ev["id"].as_str().unwrap());

    let got = app.get_as(&user, &path).await;
    assert_eq!(got.status, 200);
    let etag = got.header("etag").unwrap().to_owned();
    assert_eq!(got.json()["title"], "Dentist");

    // PATCH honours If-Match; null clears a nullable field.
    let req = app
        .request_as(&user.access_token, Method::PATCH, &path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", etag.clone()));
    let res = app
        .send(
            req,
            Some(br#"{"title":"Dentist (moved)","description":null}"#.to_vec()),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["title"], "Dentist (moved)");
    assert_eq!(res.json()["description"], serde_json::Value::Null);
    assert_eq!(res.json()["location"], "Rua A, 1");
    assert_eq!(res.json()["sequence"], 1);
    let stale = app
        .request_as(&user.access_token, Method::PATCH, &path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", etag));
    app.send(stale, Some(br#"{"title":"x"}"#.to_vec()))
        .await
        .problem(412);

    // Bad values: every field named; unknown fields refused.
    let bad = app
        .call_as(&user, Method::POST, "/api/v1/calendar/events",
            Some(&json!({"title": "", "starts_at": "tomorrow", "ends_at": "2026-01-01T00:00:00Z", "timezone": "Mars/Base", "rrule": "FREQ=DAILY"})))
        .await
        .problem(422);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "timezone", "starts_at"]);
    let backwards = app
        .call_as(&user, Method::POST, "/api/v1/calendar/events",
            Some(&json!({"title": "x", "starts_at": "2026-01-01T10:00:00Z", "ends_at": "2026-01-01T10:00:00Z"})))
        .await
        .problem(422);
    assert_eq!(backwards["errors"][0]["field"], "ends_at");
    app.call_as(&user, Method::POST, "/api/v1/calendar/events",
        Some(&json!({"title": "x", "starts_at": "2026-01-01T10:00:00Z", "ends_at": "2026-01-01T11:00:00Z", "colour": "red"})))
        .await
        .problem(422);
    let hourly = app
        .call_as(&user, Method::POST, "/api/v1/calendar/events",
            Some(&json!({"title": "x", "starts_at": "2026-01-01T10:00:00Z", "ends_at": "2026-01-01T11:00:00Z", "rrule": "FREQ=HOURLY"})))
        .await
        .problem(422);
    assert_eq!(hourly["errors"][0]["field"], "rrule");

    let res = app.call_as(&user, Method::DELETE, &path, None).await;
    assert_eq!(res.status, 204);
    app.get_as(&user, &path).await.problem(404);
    app.call_as(&user, Method::DELETE, &path, None)
        .await
        .problem(404);
    app.get_as(&user, "/api/v1/calendar/events/not-a-uuid")
        .await
        .problem(400);
}

#[actix_web::test]
async fn another_users_events_are_404_everywhere() {
    let app = TestApp::spawn().await;
    let owner = user_in(&app, "UTC").await;
    let other = user_in(&app, "UTC").await;
    let ev = create(
        &app,
        &owner,
        json!({"title": "Series", "starts_at": "2026-03-02T09:00:00Z", "ends_at": "2026-03-02T10:00:00Z", "rrule": "FREQ=DAILY;COUNT=5"}),
    )
    .await;
    let path = format!("/api/v1/calendar/events/{}", ev["id"].as_str().unwrap());
    let cancel = json!({"occurrence_start": "2026-03-03T09:00:00Z"});
    let res = app
        .call_as(
            &owner,
            Method::POST,
            &format!("{path}/exceptions"),
            Some(&cancel),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let exception = res.header("location").unwrap().to_owned();

    app.get_as(&other, &path).await.problem(404);
    app.call_as(
        &other,
        Method::PATCH,
        &path,
        Some(&json!({"title": "mine"})),
    )
    .await
    .problem(404);
    app.call_as(&other, Method::DELETE, &path, None)
        .await
        .problem(404);
    app.call_as(
        &other,
        Method::POST,
        &format!("{path}/exceptions"),
        Some(&json!({"occurrence_start": "2026-03-04T09:00:00Z"})),
    )
    .await
    .problem(404);
    app.call_as(&other, Method::DELETE, &exception, None)
        .await
        .problem(404);
    assert!(
        items(&app, &other, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")
            .await
            .is_empty()
    );

    // Untouched for its owner.
    let mine = items(&app, &owner, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z").await;
    assert_eq!(mine.len(), 4);
    assert_eq!(app.get_as(&owner, &path).await.json()["title"], "Series");
}

#[actix_web::test]
async fn series_expand_in_their_own_zone_across_dst() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    // New York: Mondays 09:00; DST starts Sunday 2026-03-08 (EST -5 → EDT -4).
    let ny = create(
        &app,
        &user,
        json!({"title": "NY stand-up", "starts_at": "2026-02-23T09:00:00-05:00", "ends_at": "2026-02-23T09:30:00-05:00",
               "timezone": "America/New_York", "rrule": "FREQ=WEEKLY;BYDAY=MO"}),
    )
    .await;
    // Berlin: daily 09:00; DST ends Sunday 2026-10-25 (CEST +2 → CET +1).
    let berlin = create(
        &app,
        &user,
        json!({"title": "Berlin check-in", "starts_at": "2026-10-23T09:00:00+02:00", "ends_at": "2026-10-23T09:15:00+02:00",
               "timezone": "Europe/Berlin", "rrule": "FREQ=DAILY;UNTIL=20261027T235959Z"}),
    )
    .await;
    let single = create(
        &app,
        &user,
        json!({"title": "One-off", "starts_at": "2026-03-09T12:30:00Z", "ends_at": "2026-03-09T13:00:00Z"}),
    )
    .await;

    let got = items(&app, &user, "2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z").await;
    assert_eq!(
        starts(&got),
        [
            "2026-03-02T14:00:00Z",
            "2026-03-09T12:30:00Z",
            "2026-03-09T13:00:00Z",
            "2026-03-16T13:00:00Z"
        ]
    );
    assert_eq!(got[0]["event_id"], ny["id"]);
    assert_eq!(got[0]["occurrence_start"], "2026-03-02T14:00:00Z");
    assert_eq!(got[0]["ends_at"], "2026-03-02T14:30:00Z");
    assert_eq!(got[0]["recurring"], true);
    assert_eq!(got[1]["event_id"], single["id"]);
    assert_eq!(got[1]["recurring"], false);

    // (New York is still on EDT until 2026-11-01: its Monday stays at 13:00Z.)
    let got = items(&app, &user, "2026-10-20T00:00:00Z", "2026-11-01T00:00:00Z").await;
    assert_eq!(
        starts(&got),
        [
            "2026-10-23T07:00:00Z",
            "2026-10-24T07:00:00Z",
            "2026-10-25T08:00:00Z",
            "2026-10-26T08:00:00Z",
            "2026-10-26T13:00:00Z",
            "2026-10-27T08:00:00Z"
        ]
    );
    assert!(
        got.iter()
            .filter(|o| o["title"] == "Berlin check-in")
            .all(|o| o["event_id"] == berlin["id"])
    );

    // An occurrence that started before the window but overlaps it is included.
    let inside = items(&app, &user, "2026-03-16T13:10:00Z", "2026-03-16T13:20:00Z").await;
    assert_eq!(starts(&inside), ["2026-03-16T13:00:00Z"]);
}

#[actix_web::test]
async fn range_windows_are_checked() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    range(&app, &user, "2026-01-01T00:00:00Z", "2027-01-02T00:00:01Z")
        .await
        .problem(422);
    let ok = range(&app, &user, "2026-01-01T00:00:00Z", "2027-01-02T00:00:00Z").await;
    assert_eq!(ok.status, 200, "366 days is fine");
    range(&app, &user, "2027-06-01T00:00:00Z", "2028-06-02T00:00:00Z")
        .await
        .problem(422);
    range(&app, &user, "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z")
        .await
        .problem(422);
    range(&app, &user, "2026-01-01", "2026-01-02T00:00:00Z")
        .await
        .problem(422);
    let missing = app
        .get_as(&user, "/api/v1/calendar/events?from=2026-01-01T00:00:00Z")
        .await
        .problem(422);
    assert_eq!(missing["errors"][0]["field"], "to");
    let neither = app
        .get_as(&user, "/api/v1/calendar/events")
        .await
        .problem(422);
    assert_eq!(neither["errors"].as_array().unwrap().len(), 2);
    app.get("/api/v1/calendar/events?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")
        .await
        .problem(401);
}

#[actix_web::test]
async fn all_day_events_keep_their_dates_in_a_non_utc_zone() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let ev = create(&app, &user, json!({"title": "Christmas Eve", "starts_at": "2026-12-24", "ends_at": "2026-12-25", "all_day": true})).await;
    assert_eq!(ev["start_date"], "2026-12-24");
    assert_eq!(ev["end_date"], "2026-12-25");
    assert_eq!(
        ev["starts_at"], "2026-12-24T03:00:00Z",
        "local midnight in São Paulo"
    );

    // 23:30 on the 24th in São Paulo is 02:30 on the 25th in UTC: still the event's day.
    let late = items(&app, &user, "2026-12-25T02:30:00Z", "2026-12-25T02:31:00Z").await;
    assert_eq!(late.len(), 1);
    assert_eq!(late[0]["start_date"], "2026-12-24");
    assert_eq!(late[0]["all_day"], true);
    // The 25th local starts at 03:00Z: past it. The 24th in UTC before 03:00Z is the 23rd local.
    assert!(
        items(&app, &user, "2026-12-25T03:00:00Z", "2026-12-26T00:00:00Z")
            .await
            .is_empty()
    );
    assert!(
        items(&app, &user, "2026-12-24T00:00:00Z", "2026-12-24T03:00:00Z")
            .await
            .is_empty()
    );

    // A yearly all-day series; one year cancelled by date.
    let bday = create(
        &app,
        &user,
        json!({"title": "Birthday", "starts_at": "2024-02-29", "ends_at": "2024-03-01", "all_day": true, "rrule": "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"}),
    )
    .await;
    let path = format!(
        "/api/v1/calendar/events/{}/exceptions",
        bday["id"].as_str().unwrap()
    );
    let res = app
        .call_as(
            &user,
            Method::POST,
            &path,
            Some(&json!({"occurrence_start": "2027-03-01"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(res.json()["occurrence_start"], "2027-03-01T03:00:00Z");
    let got = items(&app, &user, "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z").await;
    let dates: Vec<&str> = got
        .iter()
        .filter(|o| o["title"] == "Birthday")
        .map(|o| o["start_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-03-01"]);
    let got = items(&app, &user, "2027-01-01T00:00:00Z", "2027-12-31T00:00:00Z").await;
    assert!(got.iter().all(|o| o["title"] != "Birthday"));
}

#[actix_web::test]
async fn cancelled_occurrences_survive_a_patch_of_the_series() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "Europe/Berlin").await;
    let ev = create(
        &app,
        &user,
        json!({"title": "Gym", "starts_at": "2026-05-04T18:00:00+02:00", "ends_at": "2026-05-04T19:00:00+02:00", "rrule": "FREQ=DAILY;COUNT=5"}),
    )
    .await;
    let path = format!("/api/v1/calendar/events/{}", ev["id"].as_str().unwrap());
    let cancel = |at: &str| json!({"occurrence_start": at});
    let res = app
        .call_as(
            &user,
            Method::POST,
            &format!("{path}/exceptions"),
            Some(&cancel("2026-05-06T18:00:00+02:00")),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let location = res.header("location").unwrap().to_owned();
    assert!(location.starts_with(&format!("{path}/exceptions/")));
    let again = app
        .call_as(
            &user,
            Method::POST,
            &format!("{path}/exceptions"),
            Some(&cancel("2026-05-06T16:00:00Z")),
        )
        .await;
    assert_eq!(again.status, 200, "already cancelled: {}", again.text());
    assert_eq!(again.json()["id"], res.json()["id"]);
    let not_one = app
        .call_as(
            &user,
            Method::POST,
            &format!("{path}/exceptions"),
            Some(&cancel("2026-05-06T17:00:00Z")),
        )
        .await
        .problem(422);
    assert_eq!(not_one["errors"][0]["field"], "occurrence_start");

    let window = ("2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z");
    let before = starts(&items(&app, &user, window.0, window.1).await);
    assert_eq!(
        before,
        [
            "2026-05-04T16:00:00Z",
            "2026-05-05T16:00:00Z",
            "2026-05-07T16:00:00Z",
            "2026-05-08T16:00:00Z"
        ]
    );
    assert_eq!(
        app.get_as(&user, &path).await.json()["exdates"],
        json!(["2026-05-06T16:00:00Z"])
    );

    // A PATCH of the title keeps the exception.
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            &path,
            Some(&json!({"title": "Gym (legs)"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        starts(&items(&app, &user, window.0, window.1).await),
        before
    );
    // Moving the series an hour later moves its cancelled occurrence with it.
    let res = app
        .call_as(&user, Method::PATCH, &path, Some(&json!({"starts_at": "2026-05-04T19:00:00+02:00", "ends_at": "2026-05-04T20:00:00+02:00"})))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["exdates"], json!(["2026-05-06T17:00:00Z"]));
    assert_eq!(
        starts(&items(&app, &user, window.0, window.1).await),
        [
            "2026-05-04T17:00:00Z",
            "2026-05-05T17:00:00Z",
            "2026-05-07T17:00:00Z",
            "2026-05-08T17:00:00Z"
        ]
    );

    // The moved exception is a new record: the old URL is gone; restoring through the new one works.
    app.call_as(&user, Method::DELETE, &location, None)
        .await
        .problem(404);
    let res = app
        .call_as(
            &user,
            Method::POST,
            &format!("{path}/exceptions"),
            Some(&cancel("2026-05-06T17:00:00Z")),
        )
        .await;
    assert_eq!(
        res.status,
        200,
        "already cancelled by the move: {}",
        res.text()
    );
    let current = res.header("location").unwrap().to_owned();
    assert_eq!(
        app.call_as(&user, Method::DELETE, &current, None)
            .await
            .status,
        204
    );
    assert_eq!(items(&app, &user, window.0, window.1).await.len(), 5);

    // Stopping the repetition drops the exceptions; cancelling a one-off is a 422.
    let res = app
        .call_as(&user, Method::PATCH, &path, Some(&json!({"rrule": null})))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["rrule"], serde_json::Value::Null);
    app.call_as(
        &user,
        Method::POST,
        &format!("{path}/exceptions"),
        Some(&cancel("2026-05-04T17:00:00Z")),
    )
    .await
    .problem(422);
}

#[actix_web::test]
async fn a_daily_series_since_1970_is_expanded_near_the_window() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    create(
        &app,
        &user,
        json!({"title": "Since 1970", "starts_at": "1970-01-01T08:00:00-03:00", "ends_at": "1970-01-01T08:30:00-03:00", "rrule": "FREQ=DAILY"}),
    )
    .await;
    let started = std::time::Instant::now();
    let got = items(&app, &user, "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z").await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(got.len(), 7);
    assert!(
        got.iter()
            .all(|o| o["starts_at"].as_str().unwrap().ends_with("T11:00:00Z"))
    );
}

#[derive(diesel::QueryableByName)]
struct Plan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

#[actix_web::test]
async fn the_range_query_is_index_backed_on_a_large_table() {
    let app = TestApp::spawn().await;
    let mut conn = app.db().connect().await;
    const HEAVY: &str = "00000000-0000-0000-0000-000000000001";
    // 100,000 events: half for one user, the rest over 500 others, over ten years.
    diesel::sql_query(format!(
        "INSERT INTO calendar.events (id, user_id, uid, title, starts_at, ends_at, all_day, timezone, series_ends_at, sequence, created_at, updated_at) \
         SELECT gen_random_uuid(), \
                CASE WHEN g % 2 = 0 THEN '{HEAVY}'::uuid ELSE ('00000000-0000-0000-0001-' || lpad((g % 500)::text, 12, '0'))::uuid END, \
                'uid-' || g, 'event ' || g, \
                timestamptz '2020-01-01T00:00:00Z' + g * interval '53 minutes', \
                timestamptz '2020-01-01T01:00:00Z' + g * interval '53 minutes', false, 'UTC', \
                CASE WHEN g % 100 = 0 THEN timestamptz '9999-12-31T00:00:00Z' ELSE timestamptz '2020-01-01T01:00:00Z' + g * interval '53 minutes' END, \
                0, now(), now() \
         FROM generate_series(1, 100000) AS g"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query("ANALYZE calendar.events")
        .execute(&mut conn)
        .await
        .unwrap();
    let repo = PgEvents::new(app.pool().clone());
    let user = UserId::from_uuid(HEAVY.parse().unwrap());
    let plan = repo
        .explain_overlapping(
            user,
            utc("2026-11-01T00:00:00Z"),
            utc("2026-12-01T00:00:00Z"),
        )
        .await
        .unwrap()
        .join("\n");
    assert!(!plan.contains("Seq Scan"), "{plan}");
    assert!(
        plan.contains("idx_events_user_id_series_ends_at_starts_at"),
        "{plan}"
    );
    // The exceptions lookup and the UID lookup use their unique indexes.
    for sql in [
        format!(
            "EXPLAIN SELECT event_id, occurrence_start FROM calendar.event_exceptions WHERE user_id = '{HEAVY}' AND event_id = ANY(ARRAY[gen_random_uuid()])"
        ),
        format!(
            "EXPLAIN SELECT id FROM calendar.events WHERE user_id = '{HEAVY}' AND uid = ANY(ARRAY['uid-2','uid-4'])"
        ),
    ] {
        let lines: Vec<Plan> = diesel::sql_query(&sql).load(&mut conn).await.unwrap();
        let plan: Vec<String> = lines.into_iter().map(|p| p.line).collect();
        assert!(
            !plan.join("\n").contains("Seq Scan on events"),
            "{sql}: {plan:?}"
        );
    }
}

/// The user's zone for the agenda use case, as the binary's adapter gives it.
struct FixedZone(chrono_tz::Tz);

#[async_trait::async_trait]
impl UserTimezones for FixedZone {
    async fn timezone(&self, _user_id: UserId) -> Result<chrono_tz::Tz, ApiError> {
        Ok(self.0)
    }
}

#[actix_web::test]
async fn the_dashboard_agenda_is_today_in_the_users_zone_and_what_follows() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    // Today is 2026-11-25 in São Paulo (it is already the 26th in UTC).
    let clock = FixedClock::at(utc("2026-11-26T01:30:00Z"));
    create(&app, &user, json!({"title": "Morning", "starts_at": "2026-11-25T08:00:00-03:00", "ends_at": "2026-11-25T09:00:00-03:00"})).await;
    create(&app, &user, json!({"title": "Late", "starts_at": "2026-11-25T23:00:00-03:00", "ends_at": "2026-11-25T23:45:00-03:00"})).await;
    create(&app, &user, json!({"title": "Yesterday", "starts_at": "2026-11-24T12:00:00-03:00", "ends_at": "2026-11-24T13:00:00-03:00"})).await;
    create(&app, &user, json!({"title": "Weekly", "starts_at": "2026-11-02T10:00:00-03:00", "ends_at": "2026-11-02T11:00:00-03:00", "rrule": "FREQ=WEEKLY;BYDAY=MO,TH"})).await;
    create(&app, &user, json!({"title": "Far", "starts_at": "2027-05-01T10:00:00-03:00", "ends_at": "2027-05-01T11:00:00-03:00"})).await;

    let service = CalendarService::new(
        Arc::new(PgEvents::new(app.pool().clone())),
        Arc::new(PgFeedTokens::new(app.pool().clone())),
        Arc::new(PgIdempotencyStore::new()),
        Arc::new(PgTransactor::new(app.pool().clone())),
        Arc::new(FixedZone(chrono_tz::America::Sao_Paulo)),
        Arc::new(clock),
    );
    let me = UserId::from_uuid(user.user_id);
    let agenda = service.agenda(me, 5).await.unwrap();
    assert_eq!(agenda.date.to_string(), "2026-11-25");
    let titles = |v: &[calendar::domain::Occurrence]| {
        v.iter().map(|o| o.event.title.clone()).collect::<Vec<_>>()
    };
    assert_eq!(titles(&agenda.today), ["Morning", "Late"]);
    assert_eq!(
        titles(&agenda.upcoming),
        ["Weekly", "Weekly", "Weekly", "Weekly", "Weekly"]
    );
    assert_eq!(agenda.upcoming[0].starts_at, utc("2026-11-26T13:00:00Z"));
    let far = service.agenda(me, 20).await.unwrap();
    assert_eq!(far.upcoming.len(), 20);
    assert!(
        far.upcoming
            .windows(2)
            .all(|w| w[0].starts_at <= w[1].starts_at)
    );
}
