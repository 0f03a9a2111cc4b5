//! The ICS feed: secret-token URLs (rotation kills the old one), the RFC 5545
//! document, a round trip through our own import, and an independent parser
//! (Python's `icalendar`) reading it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use common::{create, feed_path, import, items, user_in};
use diesel::sql_types::{BigInt, Bytea};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

/// A spread of events: a New York weekly series with a cancelled Monday, a
/// São Paulo all-day series, a UTC one-off, a Berlin event with awkward text.
async fn seed(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let ny = create(
        app,
        user,
        json!({"title": "NY stand-up", "starts_at": "2026-02-23T09:00:00-05:00", "ends_at": "2026-02-23T09:30:00-05:00",
               "timezone": "America/New_York", "rrule": "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260601T000000Z", "location": "Zoom"}),
    )
    .await;
    let res = app
        .call_as(
            user,
            Method::POST,
            &format!(
                "/api/v1/calendar/events/{}/exceptions",
                ny["id"].as_str().unwrap()
            ),
            Some(&json!({"occurrence_start": "2026-03-09T09:00:00-04:00"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let holiday = create(
        app,
        user,
        json!({"title": "Holiday", "starts_at": "2026-12-24", "ends_at": "2026-12-26", "all_day": true, "rrule": "FREQ=YEARLY;COUNT=3"}),
    )
    .await;
    let call = create(app, user, json!({"title": "UTC call", "starts_at": "2026-06-01T12:00:00Z", "ends_at": "2026-06-01T12:30:00Z", "timezone": "UTC"})).await;
    let text = create(
        app,
        user,
        json!({"title": "Plan; review, decide", "starts_at": "2026-10-24T10:00:00+02:00", "ends_at": "2026-10-25T10:00:00+01:00",
               "timezone": "Europe/Berlin", "description": "Line one\nLine two, with a comma; and \\ backslash — and a very long line that must be folded because it is longer than seventy-five octets in UTF-8, ação!"}),
    )
    .await;
    vec![ny, holiday, call, text]
}

async fn get_feed(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    res.text()
}

#[derive(diesel::QueryableByName)]
struct TokenRow {
    #[diesel(sql_type = Bytea)]
    token_hash: Vec<u8>,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[actix_web::test]
async fn rotating_the_feed_token_kills_the_old_url() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let other = user_in(&app, "America/Sao_Paulo").await;
    create(&app, &user, json!({"title": "Mine", "starts_at": "2026-06-01T12:00:00Z", "ends_at": "2026-06-01T13:00:00Z"})).await;
    let first = feed_path(&app, &user).await;
    assert!(get_feed(&app, &first).await.contains("SUMMARY:Mine"));

    let second = feed_path(&app, &user).await;
    assert_ne!(first, second);
    app.get(&first).await.problem(404);
    assert!(get_feed(&app, &second).await.contains("SUMMARY:Mine"));

    // Polling with the ETag answers 304 until something changes.
    let etag = app.get(&second).await.header("etag").unwrap().to_owned();
    let poll = |tag: String| {
        app.request(Method::GET, &second)
            .insert_header(("if-none-match", tag))
    };
    let res = app.send(poll(etag.clone()), None).await;
    assert_eq!(res.status, 304);
    assert!(res.body.is_empty());
    create(&app, &user, json!({"title": "New", "starts_at": "2026-06-02T12:00:00Z", "ends_at": "2026-06-02T13:00:00Z"})).await;
    let res = app.send(poll(etag), None).await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("SUMMARY:New"));

    // Only a hash is stored, one row per user.
    let token = second.split("token=").nth(1).unwrap();
    let mut conn = app.db().connect().await;
    let rows: Vec<TokenRow> = diesel::sql_query(format!(
        "SELECT token_hash FROM calendar.feed_tokens WHERE user_id = '{}'",
        user.user_id
    ))
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].token_hash.len(), 32);
    assert!(
        !token
            .as_bytes()
            .windows(32)
            .any(|w| w == rows[0].token_hash.as_slice())
    );

    // Another user's feed holds only their own events; forged and foreign tokens are 404.
    let theirs = feed_path(&app, &other).await;
    assert!(!get_feed(&app, &theirs).await.contains("SUMMARY:Mine"));
    // The last character changed (to one it is not: a fixed `A` would be the
    // token itself one time in 64).
    let last = if second.ends_with('A') { 'B' } else { 'A' };
    let forged = format!("{}{last}", &second[..second.len() - 1]);
    app.get(&forged).await.problem(404);
    app.get("/api/v1/calendar/feed.ics?token=cal_nope")
        .await
        .problem(404);
    app.get("/api/v1/calendar/feed.ics?token=")
        .await
        .problem(404);
    app.get("/api/v1/calendar/feed.ics").await.problem(400);
    // Creating a token needs a bearer; the feed does not.
    let anonymous = app.request(Method::POST, "/api/v1/calendar/feed-token");
    app.send(anonymous, None).await.problem(401);
    let n: Vec<Count> = diesel::sql_query("SELECT count(*) AS n FROM calendar.feed_tokens")
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(n[0].n, 2);
}

#[actix_web::test]
async fn the_feed_is_rfc_5545() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let events = seed(&app, &user).await;
    let ics = get_feed(&app, &feed_path(&app, &user).await).await;

    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        ics.split("\r\n")
            .all(|l| !l.contains('\n') && l.len() <= 75),
        "CRLF and folded lines"
    );
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    for expected in [
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-TIMEZONE:America/Sao_Paulo",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "TZID:Europe/Berlin",
        "DTSTART;TZID=America/New_York:20260223T090000",
        "RRULE:FREQ=WEEKLY;UNTIL=20260601T000000Z;BYDAY=MO",
        "EXDATE;TZID=America/New_York:20260309T090000",
        "DTSTART;VALUE=DATE:20261224",
        "DTEND;VALUE=DATE:20261226",
        "RRULE:FREQ=YEARLY;COUNT=3",
        "DTSTART:20260601T120000Z",
        "SUMMARY:Plan\\; review\\, decide",
        "LOCATION:Zoom",
    ] {
        assert!(lines.contains(&expected), "missing {expected:?} in\n{ics}");
    }
    for e in &events {
        assert!(lines.contains(&format!("UID:{}", e["uid"].as_str().unwrap()).as_str()));
    }
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("DTSTAMP:")).count(),
        events.len(),
        "one DTSTAMP per VEVENT and nowhere else"
    );
    assert_eq!(
        lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
        events.len()
    );
    // No VTIMEZONE for UTC: UTC events are written with Z.
    assert!(!lines.contains(&"TZID:UTC"));
}

#[actix_web::test]
async fn the_feed_round_trips_through_our_own_import() {
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let copy = user_in(&app, "America/Sao_Paulo").await;
    let mut originals = Vec::new();
    for e in seed(&app, &user).await {
        originals.push(
            app.get_as(
                &user,
                &format!("/api/v1/calendar/events/{}", e["id"].as_str().unwrap()),
            )
            .await
            .json(),
        );
    }
    let ics = get_feed(&app, &feed_path(&app, &user).await).await;

    // Into another account: the same events, occurrences and cancellations.
    let res = import(&app, &copy, "text/calendar", ics.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["created"], 4);
    assert_eq!(res.json()["updated"], 0);
    assert_eq!(res.json()["skipped_total"], 0, "{}", res.text());
    let window = ("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    let strip = |v: Vec<Value>| -> Vec<Value> {
        v.into_iter()
            .map(|mut o| {
                o.as_object_mut().unwrap().remove("event_id");
                o
            })
            .collect()
    };
    let mine = strip(items(&app, &user, window.0, window.1).await);
    assert_eq!(mine.len(), 13 + 1 + 1 + 1, "{mine:#?}");
    assert_eq!(strip(items(&app, &copy, window.0, window.1).await), mine);

    // Into the same account: updated by UID, nothing duplicated, nothing changed.
    let res = import(&app, &user, "text/calendar; charset=utf-8", ics.as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        (res.json()["created"].clone(), res.json()["updated"].clone()),
        (json!(0), json!(4))
    );
    assert_eq!(strip(items(&app, &user, window.0, window.1).await), mine);
    for e in &originals {
        let again = app
            .get_as(
                &user,
                &format!("/api/v1/calendar/events/{}", e["id"].as_str().unwrap()),
            )
            .await
            .json();
        for field in [
            "uid",
            "title",
            "description",
            "location",
            "starts_at",
            "ends_at",
            "all_day",
            "start_date",
            "end_date",
            "timezone",
            "rrule",
            "exdates",
            "created_at",
        ] {
            assert_eq!(again[field], e[field], "{field} of {}", e["title"]);
        }
        assert_eq!(
            again["sequence"].as_i64().unwrap(),
            e["sequence"].as_i64().unwrap() + 1
        );
    }
}

/// The script the independent parser runs: prints what it read as JSON.
const PY_READER: &str = r#"
import sys, json, datetime, zoneinfo
import icalendar
utc = datetime.timezone.utc
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = {"calendar": {k: str(cal.get(k)) for k in ("VERSION", "PRODID", "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL")}, "timezones": {}, "events": []}
for vtz in cal.walk("VTIMEZONE"):
    name = str(vtz["TZID"])
    own = vtz.to_tz(lookup_tzid=False)
    ref = zoneinfo.ZoneInfo(name)
    bad = []
    t = datetime.datetime(2026, 1, 1, tzinfo=utc)
    while t < datetime.datetime(2028, 1, 1, tzinfo=utc):
        if t.astimezone(own).utcoffset() != t.astimezone(ref).utcoffset():
            bad.append(t.isoformat())
        t += datetime.timedelta(hours=7)
    out["timezones"][name] = bad[:3]
for ev in cal.walk("VEVENT"):
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    e = {"uid": str(ev["UID"]), "summary": str(ev["SUMMARY"]), "description": str(ev.get("DESCRIPTION", "")),
         "has_dtstamp": "DTSTAMP" in ev}
    if isinstance(start, datetime.datetime):
        e["start"] = start.astimezone(utc).isoformat()
        e["end"] = end.astimezone(utc).isoformat()
        e["tzid"] = ev["DTSTART"].params.get("TZID")
    else:
        e["start_date"] = start.isoformat()
        e["end_date"] = end.isoformat()
    if "RRULE" in ev:
        e["rrule"] = ev["RRULE"].to_ical().decode()
    exdates = ev.get("EXDATE")
    if exdates is not None:
        if not isinstance(exdates, list):
            exdates = [exdates]
        e["exdates"] = [d.dt.astimezone(utc).isoformat() if isinstance(d.dt, datetime.datetime) else d.dt.isoformat()
                        for x in exdates for d in x.dts]
    out["events"].append(e)
print(json.dumps(out))
"#;

#[actix_web::test]
async fn an_independent_parser_reads_the_feed() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import icalendar"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "the interop test needs Python's icalendar package: run `pip install icalendar` ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => panic!(
            "the interop test needs python3 with the icalendar package (`pip install icalendar`): {e}"
        ),
    }
    let app = TestApp::spawn().await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    seed(&app, &user).await;
    let ics = get_feed(&app, &feed_path(&app, &user).await).await;
    let file = std::env::temp_dir().join(format!("my-agent-feed-{}.ics", uuid::Uuid::new_v4()));
    std::fs::write(&file, &ics).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(PY_READER)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "python failed: {}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(doc["calendar"]["VERSION"], "2.0");
    assert_eq!(doc["calendar"]["X-WR-TIMEZONE"], "America/Sao_Paulo");
    // Each VTIMEZONE, read on its own definition, agrees with the IANA zone.
    let zones = doc["timezones"].as_object().unwrap();
    assert_eq!(
        zones.len(),
        2,
        "New York and Berlin (all-day events reference no zone): {zones:?}"
    );
    for (name, bad) in zones {
        assert_eq!(bad, &json!([]), "{name} disagrees with zoneinfo at {bad}");
    }
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 4);
    let by = |summary: &str| {
        events
            .iter()
            .find(|e| e["summary"] == summary)
            .unwrap()
            .clone()
    };
    let ny = by("NY stand-up");
    assert_eq!(ny["start"], "2026-02-23T14:00:00+00:00");
    assert_eq!(ny["end"], "2026-02-23T14:30:00+00:00");
    assert_eq!(ny["tzid"], "America/New_York");
    assert_eq!(ny["rrule"], "FREQ=WEEKLY;UNTIL=20260601T000000Z;BYDAY=MO");
    assert_eq!(ny["exdates"], json!(["2026-03-09T13:00:00+00:00"]));
    let holiday = by("Holiday");
    assert_eq!(holiday["start_date"], "2026-12-24");
    assert_eq!(holiday["end_date"], "2026-12-26");
    assert_eq!(holiday["rrule"], "FREQ=YEARLY;COUNT=3");
    let call = by("UTC call");
    assert_eq!(call["start"], "2026-06-01T12:00:00+00:00");
    assert_eq!(call["tzid"], Value::Null);
    let text = by("Plan; review, decide");
    assert_eq!(text["start"], "2026-10-24T08:00:00+00:00");
    assert_eq!(
        text["end"], "2026-10-25T09:00:00+00:00",
        "a day across the end of DST"
    );
    assert!(
        text["description"]
            .as_str()
            .unwrap()
            .starts_with("Line one\nLine two, with a comma; and \\ backslash")
    );
    assert!(text["description"].as_str().unwrap().ends_with("ação!"));
    assert!(events.iter().all(|e| e["has_dtstamp"] == true));
}
