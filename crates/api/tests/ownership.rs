//! RULES R7, over the whole published contract: another user's resource is
//! indistinguishable from a missing one. Every operation on a path with an id
//! (enumerated from the served OpenAPI document, so a new route must be added
//! to the matrix below or this test fails) is tried by user B on user A's
//! resource: 404 problem+json, and A's resource reads the same afterwards.
//! Then every read of B's (lists, ranges, summaries, exports, the ICS feed,
//! the dashboard) is searched for anything of A's.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use chrono::{DateTime, Utc};
use kernel::FixedClock;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use testkit::{TestApp, TestUser};

/// Now, for every test here: the data below falls in "this month", "today"
/// and "overdue", so a leak would show in every default window.
const NOW: &str = "2026-11-25T12:00:00Z";
const MONTH: &str = "2026-11";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// Everything one user owns, by the names the path templates use.
struct Owned {
    /// Id or name per resource (`transaction`, `category`, …).
    ids: BTreeMap<&'static str, String>,
    /// The marker every string of this user's data contains.
    marker: String,
    /// The user's feed path (with its token).
    feed: String,
}

impl Owned {
    fn id(&self, name: &str) -> &str {
        self.ids
            .get(name)
            .unwrap_or_else(|| panic!("no {name} seeded"))
    }
}

async fn created(app: &TestApp, user: &TestUser, path: &str, body: Value) -> Value {
    let res = app.call_as(user, Method::POST, path, Some(&body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text());
    res.json()
}

fn text_of(doc: &Value, field: &str) -> String {
    doc[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {doc}"))
        .to_owned()
}

/// Gives `user` one resource of every kind, each carrying a distinctive marker.
async fn seed(app: &TestApp, user: &TestUser) -> Owned {
    let marker = format!("mk{}", uuid::Uuid::new_v4().simple());
    let mut ids = BTreeMap::new();
    let res = app
        .call_as(
            user,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"display_name": format!("name {marker}")})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    let category = format!("cat-{marker}");
    let t = created(
        app,
        user,
        "/api/v1/finances/transactions",
        json!({"kind": "expense", "amount": "42.17", "occurred_on": "2026-11-20",
               "category": category, "description": format!("desc {marker}"),
               "external_id": format!("ext-{marker}")}),
    )
    .await;
    ids.insert("transaction", text_of(&t, "id"));
    let c = created(
        app,
        user,
        "/api/v1/finances/categories",
        json!({"name": format!("other-{marker}")}),
    )
    .await;
    ids.insert("category", text_of(&c, "id"));
    let res = app
        .call_as(
            user,
            Method::PUT,
            &format!("/api/v1/finances/budgets/{category}"),
            Some(&json!({"month": MONTH, "limit": "50.00"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    ids.insert("budget_category", category);

    let r = created(
        app,
        user,
        "/api/v1/reminders",
        json!({"title": format!("title {marker}"), "notes": format!("notes {marker}"),
               "due_at": "2026-11-25T10:00:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await;
    ids.insert("reminder", text_of(&r, "id"));

    let e = created(
        app,
        user,
        "/api/v1/calendar/events",
        json!({"title": format!("event {marker}"), "location": format!("at {marker}"),
               "description": format!("about {marker}"),
               "starts_at": "2026-11-25T15:00:00Z", "ends_at": "2026-11-25T16:00:00Z",
               "rrule": "FREQ=DAILY"}),
    )
    .await;
    let event = text_of(&e, "id");
    let x = created(
        app,
        user,
        &format!("/api/v1/calendar/events/{event}/exceptions"),
        json!({"occurrence_start": "2026-11-27T15:00:00Z"}),
    )
    .await;
    ids.insert("event", event);
    ids.insert("exception", text_of(&x, "id"));
    let feed = created(app, user, "/api/v1/calendar/feed-token", json!({})).await;
    let url = text_of(&feed, "url");
    let feed = url[url.find("/api/v1/").expect("feed path")..].to_owned();

    let tok = created(
        app,
        user,
        "/api/v1/auth/tokens",
        json!({"name": format!("tok {marker}"), "scope": "read"}),
    )
    .await;
    ids.insert("token", text_of(&tok, "id"));
    let sessions = app.get_as(user, "/api/v1/auth/sessions").await;
    assert_eq!(sessions.status, 200);
    let session = sessions.json()["items"][0]["id"]
        .as_str()
        .expect("a session")
        .to_owned();
    ids.insert("session", session);
    Owned { ids, marker, feed }
}

/// One attempt of B's, and what it must answer.
struct Attempt {
    method: Method,
    /// The concrete path (A's ids filled in).
    path: String,
    body: Option<Value>,
    status: u16,
}

/// How the matrix treats one templated path: the attempts B makes on A's
/// resource, and the A-side read that must not change.
struct Entry {
    attempts: Vec<Attempt>,
    witness: String,
}

fn attempt(method: Method, path: String, body: Option<Value>) -> Attempt {
    Attempt {
        method,
        path,
        body,
        status: 404,
    }
}

/// The matrix: every templated path of the contract. A path missing here
/// fails the test, so a new route cannot ship without its ownership check.
fn matrix(template: &str, a: &Owned, b: &Owned) -> Option<Entry> {
    let entry = |witness: String, attempts: Vec<Attempt>| Some(Entry { attempts, witness });
    match template {
        "/api/v1/auth/sessions/{id}" => entry(
            "/api/v1/auth/sessions".into(),
            vec![attempt(
                Method::DELETE,
                format!("/api/v1/auth/sessions/{}", a.id("session")),
                None,
            )],
        ),
        "/api/v1/auth/tokens/{id}" => {
            let p = format!("/api/v1/auth/tokens/{}", a.id("token"));
            entry(
                p.clone(),
                vec![
                    attempt(Method::GET, p.clone(), None),
                    attempt(Method::DELETE, p, None),
                ],
            )
        }
        "/api/v1/calendar/events/{id}" => {
            let p = format!("/api/v1/calendar/events/{}", a.id("event"));
            entry(
                p.clone(),
                vec![
                    attempt(Method::GET, p.clone(), None),
                    attempt(Method::PATCH, p.clone(), Some(json!({"title": "hijacked"}))),
                    attempt(Method::DELETE, p, None),
                ],
            )
        }
        "/api/v1/calendar/events/{id}/exceptions" => entry(
            format!("/api/v1/calendar/events/{}", a.id("event")),
            vec![attempt(
                Method::POST,
                format!("/api/v1/calendar/events/{}/exceptions", a.id("event")),
                Some(json!({"occurrence_start": "2026-11-28T15:00:00Z"})),
            )],
        ),
        "/api/v1/calendar/events/{id}/exceptions/{exception_id}" => entry(
            format!("/api/v1/calendar/events/{}", a.id("event")),
            vec![
                attempt(
                    Method::DELETE,
                    format!(
                        "/api/v1/calendar/events/{}/exceptions/{}",
                        a.id("event"),
                        a.id("exception")
                    ),
                    None,
                ),
                // B's own series with A's exception.
                attempt(
                    Method::DELETE,
                    format!(
                        "/api/v1/calendar/events/{}/exceptions/{}",
                        b.id("event"),
                        a.id("exception")
                    ),
                    None,
                ),
            ],
        ),
        // Budgets are addressed by category *name* inside the caller's own
        // namespace: B's PUT sets B's own budget (200), never A's.
        "/api/v1/finances/budgets/{category}" => {
            let p = format!("/api/v1/finances/budgets/{}", a.id("budget_category"));
            entry(
                format!("/api/v1/finances/budgets?month={MONTH}"),
                vec![
                    attempt(Method::DELETE, format!("{p}?month={MONTH}"), None),
                    Attempt {
                        method: Method::PUT,
                        path: p,
                        body: Some(json!({"month": MONTH, "limit": "1.00"})),
                        status: 200,
                    },
                ],
            )
        }
        "/api/v1/finances/categories/{id}" => {
            let p = format!("/api/v1/finances/categories/{}", a.id("category"));
            entry(
                p.clone(),
                vec![
                    attempt(Method::GET, p.clone(), None),
                    attempt(Method::PATCH, p.clone(), Some(json!({"name": "hijacked"}))),
                    attempt(Method::DELETE, p.clone(), None),
                    // Moving B's nothing into A's category must not find it either.
                    Attempt {
                        method: Method::DELETE,
                        path: format!(
                            "/api/v1/finances/categories/{}?reassign_to={}",
                            b.id("category"),
                            a.id("category")
                        ),
                        body: None,
                        status: 422,
                    },
                ],
            )
        }
        "/api/v1/finances/transactions/{id}" => {
            let p = format!("/api/v1/finances/transactions/{}", a.id("transaction"));
            entry(
                p.clone(),
                vec![
                    attempt(Method::GET, p.clone(), None),
                    attempt(Method::PATCH, p.clone(), Some(json!({"amount": "0.01"}))),
                    attempt(Method::DELETE, p, None),
                ],
            )
        }
        "/api/v1/reminders/{id}" => {
            let p = format!("/api/v1/reminders/{}", a.id("reminder"));
            entry(
                p.clone(),
                vec![
                    attempt(Method::GET, p.clone(), None),
                    attempt(Method::PATCH, p.clone(), Some(json!({"title": "hijacked"}))),
                    attempt(Method::DELETE, p, None),
                ],
            )
        }
        "/api/v1/reminders/{id}/complete" | "/api/v1/reminders/{id}/reopen" => {
            let action = template.rsplit('/').next().unwrap_or_default();
            entry(
                format!("/api/v1/reminders/{}", a.id("reminder")),
                vec![attempt(
                    Method::POST,
                    format!("/api/v1/reminders/{}/{action}", a.id("reminder")),
                    None,
                )],
            )
        }
        "/api/v1/reminders/{id}/snooze" => entry(
            format!("/api/v1/reminders/{}", a.id("reminder")),
            vec![attempt(
                Method::POST,
                format!("/api/v1/reminders/{}/snooze", a.id("reminder")),
                Some(json!({"until": "2026-11-30T10:00:00Z"})),
            )],
        ),
        _ => None,
    }
}

/// Every `(path, method)` of the served document.
async fn operations(app: &TestApp) -> BTreeMap<String, BTreeSet<String>> {
    let doc = app.get("/api/v1/openapi.json").await.json();
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .expect("path item")
                .keys()
                .filter(|m| ["get", "put", "post", "delete", "patch"].contains(&m.as_str()))
                .map(|m| m.to_uppercase())
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

async fn two_users() -> (TestApp, TestUser, Owned, TestUser, Owned) {
    let app = TestApp::builder()
        .clock(FixedClock::at(now()))
        .spawn()
        .await;
    let alice = app.register_user().await;
    let bob = app.register_user().await;
    let a = seed(&app, &alice).await;
    let b = seed(&app, &bob).await;
    (app, alice, a, bob, b)
}

#[actix_web::test]
async fn another_users_resource_is_not_found_and_stays_unchanged() {
    let (app, alice, a, bob, b) = two_users().await;
    let mut missing = Vec::new();
    let mut checked = 0;
    for (template, methods) in operations(&app).await {
        if !template.contains('{') {
            continue;
        }
        let Some(entry) = matrix(&template, &a, &b) else {
            missing.push(template);
            continue;
        };
        let tried: BTreeSet<String> = entry
            .attempts
            .iter()
            .map(|t| t.method.as_str().to_owned())
            .collect();
        let untried: Vec<_> = methods.difference(&tried).collect();
        assert!(
            untried.is_empty(),
            "{template}: {untried:?} not in the ownership matrix: add it"
        );
        for t in entry.attempts {
            let before = app.get_as(&alice, &entry.witness).await;
            assert_eq!(before.status, 200, "{}: {}", entry.witness, before.text());
            let res = app
                .call_as(&bob, t.method.clone(), &t.path, t.body.as_ref())
                .await;
            if t.status == 404 {
                res.problem(404);
            } else {
                assert_eq!(
                    res.status,
                    t.status,
                    "{} {}: {}",
                    t.method,
                    t.path,
                    res.text()
                );
            }
            let after = app.get_as(&alice, &entry.witness).await;
            assert_eq!(
                before.json(),
                after.json(),
                "{} {} by another user changed {}",
                t.method,
                t.path,
                entry.witness
            );
            checked += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "new route without ownership check: add it to the matrix: {missing:?}"
    );
    assert!(checked >= 20, "only {checked} attempts");
    // B's budget PUT made B's own budget, not A's.
    let mine = app
        .get_as(&bob, &format!("/api/v1/finances/budgets?month={MONTH}"))
        .await
        .json();
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["category"] == a.id("budget_category") && i["limit"] == "1.00"),
        "{mine}"
    );
}

/// B's reads, per path without an id: the query strings each is read with.
/// A path of the document missing here fails the test.
fn reads(path: &str, a: &Owned, b: &Owned) -> Option<Vec<String>> {
    let range = "from=2026-11-01&to=2026-11-30";
    let q = |qs: &[String]| Some(qs.iter().map(|s| format!("{path}{s}")).collect());
    match path {
        "/api/v1/finances/transactions" => q(&[
            String::new(),
            format!("?{range}"),
            format!("?q={}", a.marker),
            format!("?category=cat-{}", a.marker),
            "?kind=expense&min_amount=0.01&max_amount=1000".into(),
        ]),
        "/api/v1/finances/transactions/export" => q(&[
            String::new(),
            format!("?{range}"),
            format!("?q={}", a.marker),
        ]),
        "/api/v1/finances/summary" => q(&[
            String::new(),
            format!("?month={MONTH}"),
            format!("?{range}"),
        ]),
        "/api/v1/finances/budgets" => q(&[String::new(), format!("?month={MONTH}")]),
        "/api/v1/reminders" => q(&[
            String::new(),
            "?overdue=true".into(),
            "?status=pending&due_from=2026-11-01T00:00:00Z&due_to=2026-12-31T00:00:00Z".into(),
        ]),
        "/api/v1/calendar/events" => {
            q(&["?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z".into()])
        }
        "/api/v1/calendar/feed.ics" => Some(vec![b.feed.clone()]),
        "/api/v1/finances/categories"
        | "/api/v1/auth/sessions"
        | "/api/v1/auth/tokens"
        | "/api/v1/dashboard"
        | "/api/v1/users/me"
        | "/api/v1/users/me/export"
        | "/api/v1/openapi.json"
        | "/health"
        | "/ready"
        | "/metrics" => q(&[String::new()]),
        _ => None,
    }
}

#[actix_web::test]
async fn no_read_of_one_user_carries_anything_of_another() {
    let (app, alice, a, bob, b) = two_users().await;
    let mut secrets: Vec<String> = a.ids.values().cloned().collect();
    secrets.extend([
        a.marker.clone(),
        alice.user_id.to_string(),
        alice.email.clone(),
        a.feed.rsplit('=').next().unwrap().to_owned(),
    ]);
    let mut missing = Vec::new();
    let mut read = 0;
    for (path, methods) in operations(&app).await {
        if path.contains('{') || !methods.contains("GET") {
            continue;
        }
        let Some(urls) = reads(&path, &a, &b) else {
            missing.push(path);
            continue;
        };
        for url in urls {
            let res = app.get_as(&bob, &url).await;
            assert_eq!(res.status, 200, "{url}: {}", res.text());
            let body = res.text();
            for secret in &secrets {
                assert!(
                    !body.contains(secret.as_str()),
                    "{url} of B carries A's {secret}: {body}"
                );
            }
            read += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "reads not in the matrix: add them to `reads`: {missing:?}"
    );
    assert!(read >= 20, "only {read} reads");
    // The same reads do show B's own data, so the search above can fail.
    let own = app.get_as(&bob, "/api/v1/users/me/export").await.text();
    for id in [
        b.id("transaction"),
        b.id("reminder"),
        b.id("event"),
        b.id("token"),
    ] {
        assert!(own.contains(id), "B's export lacks its {id}");
    }
    let own = app.get_as(&bob, &b.feed).await.text();
    assert!(own.contains(&b.marker), "B's feed lacks B's event");
    let own = app.get_as(&bob, "/api/v1/dashboard").await.text();
    assert!(
        own.contains(&b.marker),
        "B's dashboard lacks B's data: {own}"
    );
    // And A's reads show A's (the secrets are real).
    let theirs = app.get_as(&alice, "/api/v1/users/me/export").await.text();
    assert!(theirs.contains(&a.marker));
}
