//! ICS import over HTTP: real client exports (Google Calendar, Thunderbird, a
//! custom TZID defined only by its VTIMEZONE, Outlook/Exchange with Windows
//! zone names) land on the right instants; re-imports update by UID;
//! malformed files are refused whole; type and size are checked.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::{import, items, own_fixture, shared_fixture, starts, user_in};
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count_events(app: &TestApp, user: &TestUser) -> i64 {
    let mut conn = app.db().connect().await;
    let rows: Vec<Count> = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM calendar.events WHERE user_id = '{}'",
        user.user_id
    ))
    .load(&mut conn)
    .await
    .unwrap();
    rows[0].n
}

async fn import_ok(app: &TestApp, user: &TestUser, body: &str) -> Value {
    let res = import(app, user, "text/calendar", body.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

fn only(items: &[Value], title: &str) -> Vec<Value> {
    items
        .iter()
        .filter(|o| o["title"] == title)
        .cloned()
        .collect()
}

#[actix_web::test]
async fn real_client_exports_import_with_the_right_instants() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;

    // Google Calendar: UTC times, a VTIMEZONE for another zone, four VALARMs.
    let report = import_ok(&app, &user, &shared_fixture("alarm_google_future.ics")).await;
    assert_eq!(report["created"], 1);
    assert_eq!(report["skipped"], json!({"VALARM": 4}));
    let got = items(&app, &user, "2024-10-01T00:00:00Z", "2024-10-31T00:00:00Z").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["title"], "event with alarms");
    assert_eq!(
        (got[0]["starts_at"].as_str(), got[0]["ends_at"].as_str()),
        (Some("2024-10-04T18:15:00Z"), Some("2024-10-04T19:00:00Z"))
    );
    let google = app
        .get_as(
            &user,
            &format!(
                "/api/v1/calendar/events/{}",
                got[0]["event_id"].as_str().unwrap()
            ),
        )
        .await
        .json();
    assert_eq!(google["uid"], "79fs7pkqvht9m5igs0vjv1sfra@google.com");

    // Thunderbird: TZID=Europe/London with a long historical VTIMEZONE (BST in October).
    let report = import_ok(&app, &user, &shared_fixture("alarm_thunderbird_future.ics")).await;
    assert_eq!(report["created"], 1);
    assert_eq!(report["skipped"], json!({"VALARM": 2}));
    let got = items(&app, &user, "2024-10-23T00:00:00Z", "2024-10-24T00:00:00Z").await;
    assert_eq!(starts(&got), ["2024-10-23T14:00:00Z"]);
    assert_eq!(got[0]["ends_at"], "2024-10-23T15:00:00Z");
    assert_eq!(got[0]["timezone"], "Europe/London");

    // A custom TZID known only through its VTIMEZONE (New York rules, EDT in August).
    let report = import_ok(&app, &user, &shared_fixture("america_new_york.ics")).await;
    assert_eq!(report["created"], 1);
    let got = items(&app, &user, "2014-08-29T00:00:00Z", "2014-08-30T00:00:00Z").await;
    assert_eq!(starts(&got), ["2014-08-29T12:00:00Z"]);
    assert_eq!(got[0]["ends_at"], "2014-08-29T14:00:00Z");
    assert_eq!(got[0]["title"], "an event with a custom tz name");
    assert_eq!(
        got[0]["timezone"], "America/New_York",
        "matched by its offsets, the embedded name first"
    );
}

#[actix_web::test]
async fn outlook_exports_with_windows_zone_names_import() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let report = import_ok(&app, &user, &own_fixture("outlook_exchange.ics")).await;
    assert_eq!(report["created"], 4, "{report}");
    assert_eq!(report["skipped"], json!({"VALARM": 1, "VTODO": 1}));

    // E. South America Standard Time → America/Sao_Paulo; weekly until Dec 15, Nov 17 cancelled.
    let got = items(&app, &user, "2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z").await;
    let sync = only(&got, "Sincronização semanal");
    assert_eq!(
        starts(&sync),
        [
            "2026-11-03T12:00:00Z",
            "2026-11-10T12:00:00Z",
            "2026-11-24T12:00:00Z",
            "2026-12-01T12:00:00Z",
            "2026-12-08T12:00:00Z",
            "2026-12-15T12:00:00Z"
        ]
    );
    assert_eq!(sync[0]["timezone"], "America/Sao_Paulo");
    assert_eq!(sync[0]["location"], "Sala 2");
    let event = app
        .get_as(
            &user,
            &format!(
                "/api/v1/calendar/events/{}",
                sync[0]["event_id"].as_str().unwrap()
            ),
        )
        .await
        .json();
    assert_eq!(event["description"], "Weekly sync, agenda in the doc");
    assert_eq!(event["exdates"], json!(["2026-11-17T12:00:00Z"]));

    // The all-day event keeps its dates (read in the user's zone).
    let holiday = only(&got, "Recesso de fim de ano");
    assert_eq!(holiday.len(), 1);
    assert_eq!(
        (
            holiday[0]["start_date"].as_str(),
            holiday[0]["end_date"].as_str()
        ),
        (Some("2026-12-24"), Some("2026-12-26"))
    );

    // GMT Standard Time → Europe/London: 15:00 GMT, then 15:00 BST from March 29.
    let london = only(
        &items(&app, &user, "2026-03-20T00:00:00Z", "2026-04-20T00:00:00Z").await,
        "London call",
    );
    assert_eq!(london.len(), 10);
    assert_eq!(london[0]["starts_at"], "2026-03-25T15:00:00Z");
    assert_eq!(london[3]["starts_at"], "2026-03-28T15:00:00Z");
    assert_eq!(london[4]["starts_at"], "2026-03-29T14:00:00Z");
    assert_eq!(london[9]["starts_at"], "2026-04-03T14:00:00Z");
    assert_eq!(london[0]["timezone"], "Europe/London");

    // "Customized Time Zone", defined only by its VTIMEZONE (Central European rules): CEST in July.
    let vienna = only(
        &items(&app, &user, "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z").await,
        "Vienna offsite",
    );
    assert_eq!(starts(&vienna), ["2026-07-10T07:30:00Z"]);
    assert_eq!(vienna[0]["ends_at"], "2026-07-10T15:00:00Z");
    let tz: chrono_tz::Tz = vienna[0]["timezone"].as_str().unwrap().parse().unwrap();
    let winter = chrono::TimeZone::offset_from_utc_datetime(
        &tz,
        &common::utc("2026-01-15T12:00:00Z").naive_utc(),
    );
    assert_eq!(
        chrono::Offset::fix(&winter).local_minus_utc(),
        3600,
        "a zone with the same rules: {tz}"
    );
}

#[actix_web::test]
async fn reimporting_updates_by_uid_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "Europe/Berlin").await;
    let other = user_in(&app, "Europe/Berlin").await;
    let file = shared_fixture("alarm_google_future.ics");
    assert_eq!(import_ok(&app, &user, &file).await["created"], 1);
    let again = import_ok(&app, &user, &file).await;
    assert_eq!(
        (again["created"].clone(), again["updated"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(count_events(&app, &user).await, 1);

    // The same UID, edited: the event follows the file.
    let edited = file
        .replace("SUMMARY:event with alarms", "SUMMARY:renamed")
        .replace("DTSTART:20241004T181500Z", "DTSTART:20241004T171500Z");
    assert_eq!(import_ok(&app, &user, &edited).await["updated"], 1);
    let got = items(&app, &user, "2024-10-01T00:00:00Z", "2024-10-31T00:00:00Z").await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0]["title"].as_str(), got[0]["starts_at"].as_str()),
        (Some("renamed"), Some("2024-10-04T17:15:00Z"))
    );

    // UIDs are per user: another account gets its own copy.
    assert_eq!(import_ok(&app, &other, &file).await["created"], 1);
    assert_eq!(count_events(&app, &user).await, 1);
    assert_eq!(
        items(&app, &other, "2024-10-01T00:00:00Z", "2024-10-31T00:00:00Z").await[0]["title"],
        "event with alarms"
    );
}

#[actix_web::test]
async fn recurrence_exceptions_durations_and_floating_times_import() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:weekly@test\r\nSUMMARY:Yoga\r\nDTSTART;TZID=America/New_York:20261026T183000\r\nDURATION:PT1H\r\n\
RRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE;TZID=America/New_York:20261102T183000,20261109T183000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:floating@test\r\nSUMMARY:Floating lunch\r\nDTSTART:20261026T120000\r\nDTEND:20261026T130000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:day@test\r\nSUMMARY:Day off\r\nDTSTART;VALUE=DATE:20261030\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:moved@test\r\nRECURRENCE-ID;TZID=America/New_York:20261102T183000\r\nSUMMARY:Yoga moved\r\nDTSTART;TZID=America/New_York:20261103T183000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n\
BEGIN:VJOURNAL\r\nUID:j@test\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n";
    let report = import_ok(&app, &user, ics).await;
    assert_eq!(report["created"], 3);
    assert_eq!(
        report["skipped"],
        json!({"VEVENT with RECURRENCE-ID (modified occurrence)": 1, "VJOURNAL": 1})
    );
    assert_eq!(report["skipped_total"], 2);
    let got = items(&app, &user, "2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z").await;
    // Yoga: Oct 26 18:30 EDT; the next two are cancelled (the second falls after the DST change).
    assert_eq!(starts(&only(&got, "Yoga")), ["2026-10-26T22:30:00Z"]);
    assert_eq!(only(&got, "Yoga")[0]["ends_at"], "2026-10-26T23:30:00Z");
    // A floating time is read in the user's zone; a DATE without DTEND lasts one day.
    assert_eq!(
        starts(&only(&got, "Floating lunch")),
        ["2026-10-26T15:00:00Z"]
    );
    let day = only(&got, "Day off");
    assert_eq!(
        (day[0]["start_date"].as_str(), day[0]["end_date"].as_str()),
        (Some("2026-10-30"), Some("2026-10-31"))
    );
}

#[actix_web::test]
async fn malformed_calendars_are_refused_whole() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    let good = "BEGIN:VEVENT\r\nUID:good@test\r\nSUMMARY:Fine\r\nDTSTART:20260101T090000Z\r\nDTEND:20260101T100000Z\r\nEND:VEVENT\r\n";
    let cases = [
        ("not ics", "hello, world".to_owned()),
        (
            "no end",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n".to_owned(),
        ),
        (
            "bad date",
            format!(
                "BEGIN:VCALENDAR\r\n{good}BEGIN:VEVENT\r\nUID:bad@test\r\nDTSTART:2026-01-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        ),
        (
            "unknown tzid",
            format!(
                "BEGIN:VCALENDAR\r\n{good}BEGIN:VEVENT\r\nUID:tz@test\r\nDTSTART;TZID=Atlantis/Capital:20260101T090000\r\nDTEND;TZID=Atlantis/Capital:20260101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        ),
        (
            "bad rrule",
            format!(
                "BEGIN:VCALENDAR\r\n{good}BEGIN:VEVENT\r\nUID:r@test\r\nDTSTART:20260101T090000Z\r\nDTEND:20260101T100000Z\r\nRRULE:FREQ=OFTEN\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        ),
        (
            "end before start",
            format!(
                "BEGIN:VCALENDAR\r\n{good}BEGIN:VEVENT\r\nUID:e@test\r\nDTSTART:20260101T090000Z\r\nDTEND:20260101T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        ),
        (
            "no dtstart",
            format!(
                "BEGIN:VCALENDAR\r\n{good}BEGIN:VEVENT\r\nUID:n@test\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        ),
    ];
    for (name, body) in cases {
        let res = import(&app, &user, "text/calendar", body.as_bytes()).await;
        let doc = res.problem(422);
        let errors = doc["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {doc}"));
        assert!(!errors.is_empty(), "{name}");
        assert!(!errors[0]["message"].as_str().unwrap().is_empty(), "{name}");
    }
    let invalid_utf8 = import(
        &app,
        &user,
        "text/calendar",
        b"BEGIN:VCALENDAR\r\n\xff\xfe\r\nEND:VCALENDAR\r\n",
    )
    .await;
    invalid_utf8.problem(422);
    assert_eq!(count_events(&app, &user).await, 0, "nothing written");
}

#[actix_web::test]
async fn import_checks_content_type_size_and_auth() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "UTC").await;
    let file = shared_fixture("alarm_google_future.ics");
    import(&app, &user, "application/json", file.as_bytes())
        .await
        .problem(415);
    import(&app, &user, "text/plain", file.as_bytes())
        .await
        .problem(415);
    let mut big = String::from("BEGIN:VCALENDAR\r\n");
    while big.len() <= 2 * 1024 * 1024 {
        big.push_str("X-FILLER:0123456789012345678901234567890123456789012345678901234567890\r\n");
    }
    big.push_str("END:VCALENDAR\r\n");
    import(&app, &user, "text/calendar", big.as_bytes())
        .await
        .problem(413);
    let anonymous = app
        .request(actix_web::http::Method::POST, "/api/v1/calendar/import")
        .insert_header(("content-type", "text/calendar"));
    app.send(anonymous, Some(file.into_bytes()))
        .await
        .problem(401);
    assert_eq!(count_events(&app, &user).await, 0);
}
