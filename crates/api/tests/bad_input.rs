//! Bad input never hurts: over every write operation of the served OpenAPI
//! document (a new one fails until it is added to [`base`]), every field of
//! its body gets NUL bytes, very long strings, wrong types, unknown enum
//! values and impossible dates; every body gets unknown fields (`id`,
//! `user_id`, timestamps: no mass assignment), malformed JSON, the wrong
//! content type and more than 1 MiB; every id in a path a malformed UUID;
//! every list a huge limit and tampered cursors. Each answers 400/413/415/422
//! problem+json, never a 500, and the database is byte-for-byte unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use chrono::{DateTime, Utc};
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use kernel::FixedClock;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use testkit::{TestApp, TestResponse, TestUser};

const NOW: &str = "2026-11-25T12:00:00Z";

/// A string longer than any field accepts, well under the 1 MiB body limit.
const LONG: usize = 200_000;

/// Fields holding a date or an instant.
const DATES: &[&str] = &[
    "occurred_on",
    "due_at",
    "starts_at",
    "ends_at",
    "until",
    "occurrence_start",
    "month",
    "from",
    "to",
    "due_from",
    "due_to",
];

/// Fields holding one of a fixed set of words.
const ENUMS: &[&str] = &[
    "kind",
    "priority",
    "repeat_from",
    "scope",
    "week_start",
    "status",
];

#[derive(diesel::QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    h: String,
}

/// A digest of every row of every table of every module: any write changes it.
async fn snapshot(app: &TestApp) -> String {
    let mut conn = app.db().connect().await;
    #[derive(diesel::QueryableByName)]
    struct Table {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables \
         WHERE table_schema IN ('auth', 'users', 'finances', 'reminders', 'calendar') \
         AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(tables.len() >= 10, "module tables: {}", tables.len());
    let parts: Vec<String> = tables
        .iter()
        .map(|t| {
            format!(
                "SELECT '{0}' AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM {0} t",
                t.name
            )
        })
        .collect();
    let sql = format!(
        "SELECT md5(string_agg(n || h, '|' ORDER BY n)) AS h FROM ({}) s",
        parts.join(" UNION ALL ")
    );
    diesel::sql_query(sql)
        .get_result::<Digest>(&mut conn)
        .await
        .unwrap()
        .h
}

/// The user's resources, by the names the path templates use.
struct Ids(BTreeMap<&'static str, String>);

impl Ids {
    /// `template` with the user's ids (and `food` for a category name) filled in.
    fn fill(&self, template: &str) -> String {
        let (first, second) = if template.starts_with("/api/v1/finances/transactions") {
            ("transaction", "")
        } else if template.starts_with("/api/v1/finances/categories") {
            ("category", "")
        } else if template.starts_with("/api/v1/reminders") {
            ("reminder", "")
        } else if template.starts_with("/api/v1/calendar/events") {
            ("event", "exception")
        } else if template.starts_with("/api/v1/auth/sessions") {
            ("session", "")
        } else {
            ("token", "")
        };
        let mut path = template.replace("{id}", &self.0[first]);
        if !second.is_empty() {
            path = path.replace("{exception_id}", &self.0[second]);
        }
        path.replace("{category}", "food")
    }
}

async fn created(app: &TestApp, user: &TestUser, path: &str, body: Value) -> Value {
    let res = app.call_as(user, Method::POST, path, Some(&body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text());
    res.json()
}

async fn seed(app: &TestApp, user: &TestUser) -> Ids {
    let mut ids = BTreeMap::new();
    let id = |v: Value| v["id"].as_str().unwrap().to_owned();
    ids.insert(
        "transaction",
        id(created(app, user, "/api/v1/finances/transactions", json!({"kind": "expense", "amount": "10.00", "occurred_on": "2026-11-20", "category": "food"})).await),
    );
    ids.insert(
        "category",
        id(created(
            app,
            user,
            "/api/v1/finances/categories",
            json!({"name": "rent"}),
        )
        .await),
    );
    let res = app
        .call_as(
            user,
            Method::PUT,
            "/api/v1/finances/budgets/food",
            Some(&json!({"month": "2026-11", "limit": "100.00"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    ids.insert(
        "reminder",
        id(created(
            app,
            user,
            "/api/v1/reminders",
            json!({"title": "pay", "due_at": "2026-11-26T10:00:00Z", "rrule": "FREQ=DAILY"}),
        )
        .await),
    );
    let event = id(created(
        app,
        user,
        "/api/v1/calendar/events",
        json!({"title": "standup", "starts_at": "2026-11-25T15:00:00Z", "ends_at": "2026-11-25T15:15:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await);
    ids.insert(
        "exception",
        id(created(
            app,
            user,
            &format!("/api/v1/calendar/events/{event}/exceptions"),
            json!({"occurrence_start": "2026-11-27T15:00:00Z"}),
        )
        .await),
    );
    ids.insert("event", event);
    ids.insert(
        "token",
        id(created(
            app,
            user,
            "/api/v1/auth/tokens",
            json!({"name": "script", "scope": "read"}),
        )
        .await),
    );
    let sessions = app.get_as(user, "/api/v1/auth/sessions").await.json();
    ids.insert(
        "session",
        sessions["items"][0]["id"].as_str().unwrap().to_owned(),
    );
    Ids(ids)
}

/// A valid body for a write operation, and whether sending it is harmless
/// enough to check at the end that it really is valid (2xx).
fn base(method: &str, template: &str, user: &TestUser) -> Option<(Value, bool)> {
    let fresh = format!("new-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = match (method, template) {
        ("POST", "/api/v1/auth/register") => (
            json!({"email": fresh, "password": testkit::PASSWORD, "display_name": "New", "timezone": "UTC", "currency": "EUR"}),
            true,
        ),
        ("POST", "/api/v1/auth/login") => (
            json!({"email": user.email, "password": user.password}),
            true,
        ),
        ("POST", "/api/v1/auth/refresh" | "/api/v1/auth/logout") => {
            (json!({"refresh_token": user.refresh_token}), false)
        }
        ("POST", "/api/v1/auth/password") => (
            json!({"current_password": user.password, "new_password": "another fine passphrase"}),
            false,
        ),
        ("POST", "/api/v1/auth/tokens") => (
            json!({"name": "ci", "scope": "read_write", "expires_in_days": 30}),
            true,
        ),
        ("POST", "/api/v1/finances/transactions") => (
            json!({"kind": "income", "amount": "5.50", "occurred_on": "2026-11-21", "category": "salary", "description": "pay", "external_id": "bank-1"}),
            true,
        ),
        ("PATCH", "/api/v1/finances/transactions/{id}") => (
            json!({"kind": "expense", "amount": "7.25", "occurred_on": "2026-11-22", "category": "food", "description": "lunch", "external_id": "bank-2"}),
            true,
        ),
        ("POST", "/api/v1/finances/categories") => (json!({"name": "travel"}), true),
        ("PATCH", "/api/v1/finances/categories/{id}") => (json!({"name": "housing"}), true),
        ("PUT", "/api/v1/finances/budgets/{category}") => {
            (json!({"month": "2026-12", "limit": "80.00"}), true)
        }
        ("POST", "/api/v1/reminders") => (
            json!({"title": "call", "notes": "n", "due_at": "2026-11-28T09:00:00Z", "priority": "high", "rrule": "FREQ=WEEKLY;BYDAY=MO", "repeat_from": "completion"}),
            true,
        ),
        ("PATCH", "/api/v1/reminders/{id}") => (
            json!({"title": "call", "notes": "n", "due_at": "2026-11-29T09:00:00Z", "priority": "low", "rrule": "FREQ=DAILY", "repeat_from": "due"}),
            true,
        ),
        ("POST", "/api/v1/reminders/{id}/snooze") => {
            (json!({"until": "2026-11-30T09:00:00Z"}), true)
        }
        ("POST", "/api/v1/calendar/events") => (
            json!({"title": "lunch", "starts_at": "2026-11-26T12:00:00Z", "ends_at": "2026-11-26T13:00:00Z", "all_day": false, "timezone": "Europe/Paris", "location": "cafe", "description": "d", "rrule": "FREQ=WEEKLY"}),
            true,
        ),
        ("PATCH", "/api/v1/calendar/events/{id}") => (
            json!({"title": "standup", "starts_at": "2026-11-25T15:00:00Z", "ends_at": "2026-11-25T15:30:00Z", "all_day": false, "timezone": "UTC", "location": "room", "description": "d", "rrule": "FREQ=DAILY"}),
            true,
        ),
        ("POST", "/api/v1/calendar/events/{id}/exceptions") => {
            (json!({"occurrence_start": "2026-11-28T15:00:00Z"}), true)
        }
        ("PATCH", "/api/v1/users/me") => (
            json!({"display_name": "Me", "timezone": "America/Sao_Paulo", "currency": "BRL", "locale": "pt-BR", "week_start": "sunday"}),
            true,
        ),
        ("DELETE", "/api/v1/users/me") => (json!({"password": user.password}), false),
        _ => return None,
    };
    Some(body)
}

/// Write operations without a JSON body: nothing to mangle but their path.
const BODYLESS: &[(&str, &str)] = &[
    ("POST", "/api/v1/calendar/feed-token"),
    ("POST", "/api/v1/calendar/import"),
    ("POST", "/api/v1/finances/transactions/import"),
    ("POST", "/api/v1/reminders/{id}/complete"),
    ("POST", "/api/v1/reminders/{id}/reopen"),
    ("DELETE", "/api/v1/auth/sessions/{id}"),
    ("DELETE", "/api/v1/auth/tokens/{id}"),
    ("DELETE", "/api/v1/calendar/events/{id}"),
    (
        "DELETE",
        "/api/v1/calendar/events/{id}/exceptions/{exception_id}",
    ),
    ("DELETE", "/api/v1/finances/budgets/{category}"),
    ("DELETE", "/api/v1/finances/categories/{id}"),
    ("DELETE", "/api/v1/finances/transactions/{id}"),
    ("DELETE", "/api/v1/reminders/{id}"),
];

/// Statuses a credential field may also answer: a mangled password or token
/// is a bad credential (401), which says no more than a 422 would.
fn credential_statuses(template: &str, field: &str) -> &'static [u16] {
    match (template, field) {
        ("/api/v1/auth/login", "email" | "password")
        | ("/api/v1/auth/refresh" | "/api/v1/auth/logout", "refresh_token") => &[401],
        _ => &[],
    }
}

/// One uploaded file: what it is, path, content type, bytes, allowed statuses.
struct Upload(&'static str, &'static str, &'static str, Vec<u8>, Vec<u16>);

/// One mangled request.
struct Case {
    what: String,
    method: Method,
    path: String,
    content_type: &'static str,
    body: Option<Vec<u8>>,
    allowed: Vec<u16>,
}

/// The variants of one field's value, each with what it is.
fn field_variants(name: &str, schema: &Value) -> Vec<(String, Value)> {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec!["string"], // an enum by reference
    };
    let mut out = Vec::new();
    if types.contains(&"string") {
        out.push(("NUL byte".into(), json!("ab\u{0}cd")));
        out.push(("NUL only".into(), json!("\u{0}")));
        out.push(("very long string".into(), json!("x".repeat(LONG))));
        out.push(("number for a string".into(), json!(12345)));
        out.push(("object for a string".into(), json!({"nested": true})));
        out.push(("array for a string".into(), json!(["a"])));
        if ENUMS.contains(&name) {
            out.push(("unknown enum value".into(), json!("definitely-not-a-value")));
            out.push(("enum value in other case".into(), json!("HIGH")));
        }
        if DATES.contains(&name) {
            out.push(("impossible date".into(), json!("2026-02-30")));
            out.push(("impossible instant".into(), json!("2026-13-45T25:61:00Z")));
            out.push(("not a date".into(), json!("next tuesday")));
            out.push(("year 10000".into(), json!("+10000-01-01T00:00:00Z")));
        }
    }
    if types.contains(&"integer") {
        out.push(("string for an integer".into(), json!("ten")));
        out.push(("fraction for an integer".into(), json!(1.5)));
        out.push(("huge integer".into(), json!(1e30)));
        out.push(("negative integer".into(), json!(-1)));
    }
    if types.contains(&"boolean") {
        out.push(("string for a boolean".into(), json!("yes")));
        out.push(("number for a boolean".into(), json!(1)));
    }
    out
}

fn with(body: &Value, field: &str, value: Value) -> Vec<u8> {
    let mut body = body.clone();
    body[field] = value;
    serde_json::to_vec(&body).unwrap()
}

/// Every mangled request for one JSON write operation.
fn body_cases(
    method: &str,
    template: &str,
    path: &str,
    valid: &Value,
    schema: &Value,
) -> Vec<Case> {
    let m = Method::from_bytes(method.as_bytes()).unwrap();
    let case = |what: String, content_type: &'static str, body: Vec<u8>, allowed: Vec<u16>| Case {
        what,
        method: m.clone(),
        path: path.to_owned(),
        content_type,
        body: Some(body),
        allowed,
    };
    let bad = vec![400, 422];
    let mut out = Vec::new();
    let props = schema["properties"].as_object().expect("properties");
    for (field, prop) in props {
        for (what, value) in field_variants(field, prop) {
            let mut allowed = bad.clone();
            allowed.extend_from_slice(credential_statuses(template, field));
            out.push(case(
                format!("{field}: {what}"),
                "application/json",
                with(valid, field, value),
                allowed,
            ));
        }
    }
    for (field, value) in [
        ("id", json!(uuid::Uuid::new_v4())),
        ("user_id", json!(uuid::Uuid::new_v4())),
        ("created_at", json!("2020-01-01T00:00:00Z")),
        ("updated_at", json!("2020-01-01T00:00:00Z")),
        ("is_admin", json!(true)),
    ] {
        if !props.contains_key(field) {
            out.push(case(
                format!("unknown field {field}"),
                "application/json",
                with(valid, field, value),
                bad.clone(),
            ));
        }
    }
    let raw = serde_json::to_vec(valid).unwrap();
    out.push(case(
        "truncated JSON".into(),
        "application/json",
        raw[..raw.len() - 1].to_vec(),
        bad.clone(),
    ));
    out.push(case(
        "not JSON".into(),
        "application/json",
        b"title=x&y=z".to_vec(),
        bad.clone(),
    ));
    out.push(case(
        "empty body".into(),
        "application/json",
        Vec::new(),
        bad.clone(),
    ));
    out.push(case(
        "JSON null".into(),
        "application/json",
        b"null".to_vec(),
        bad.clone(),
    ));
    out.push(case(
        "JSON array".into(),
        "application/json",
        b"[]".to_vec(),
        bad.clone(),
    ));
    out.push(case(
        "JSON string".into(),
        "application/json",
        b"\"x\"".to_vec(),
        bad.clone(),
    ));
    out.push(case(
        "invalid UTF-8".into(),
        "application/json",
        b"{\"a\": \"\xff\xfe\"}".to_vec(),
        bad.clone(),
    ));
    out.push(case(
        "deeply nested".into(),
        "application/json",
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        bad.clone(),
    ));
    out.push(case(
        "text/plain".into(),
        "text/plain",
        raw.clone(),
        vec![415],
    ));
    out.push(case(
        "form encoded".into(),
        "application/x-www-form-urlencoded",
        raw.clone(),
        vec![415],
    ));
    out.push(case("no content type".into(), "", raw, vec![415]));
    let mut big = valid.clone();
    let first = props.keys().next().unwrap().clone();
    big[first] = json!("y".repeat(1024 * 1024 + 1));
    out.push(case(
        "body over 1 MiB".into(),
        "application/json",
        serde_json::to_vec(&big).unwrap(),
        vec![413],
    ));
    out
}

/// The request body schema of an operation, references resolved.
fn body_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    let name = schema["$ref"].as_str()?.rsplit('/').next()?;
    Some(&doc["components"]["schemas"][name])
}

async fn check(app: &TestApp, user: &TestUser, case: &Case) -> TestResponse {
    let mut req = app.request_as(&user.access_token, case.method.clone(), &case.path);
    if !case.content_type.is_empty() {
        req = req.insert_header(("content-type", case.content_type));
    }
    let before = snapshot(app).await;
    let res = app.send(req, case.body.clone()).await;
    assert!(
        case.allowed.contains(&res.status),
        "{} {} ({}): {} not in {:?}: {}",
        case.method,
        case.path,
        case.what,
        res.status,
        case.allowed,
        res.text()
    );
    res.problem(res.status);
    assert_eq!(
        before,
        snapshot(app).await,
        "{} {} ({}) wrote something",
        case.method,
        case.path,
        case.what
    );
    res
}

async fn setup() -> (TestApp, TestUser, Ids, Value) {
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    let app = TestApp::builder().clock(FixedClock::at(now)).spawn().await;
    let user = app.register_user().await;
    let ids = seed(&app, &user).await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    (app, user, ids, doc)
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

#[actix_web::test]
async fn every_write_body_refuses_bad_input_without_writing() {
    let (app, user, ids, doc) = setup().await;
    let mut missing = Vec::new();
    let mut cases = 0;
    let mut confirm = Vec::new();
    for (method, template, op) in operations(&doc) {
        if !["POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) {
            continue;
        }
        let Some(schema) = body_schema(&doc, &op) else {
            if !BODYLESS.contains(&(method.as_str(), template.as_str())) {
                missing.push(format!("{method} {template}"));
            }
            continue;
        };
        let Some((valid, harmless)) = base(&method, &template, &user) else {
            missing.push(format!("{method} {template}"));
            continue;
        };
        let path = ids.fill(&template);
        for case in body_cases(&method, &template, &path, &valid, schema) {
            check(&app, &user, &case).await;
            cases += 1;
        }
        if harmless {
            confirm.push((method, path, valid));
        }
    }
    assert!(
        missing.is_empty(),
        "write operations not in the bad-input table: {missing:?}"
    );
    assert!(cases >= 500, "only {cases} cases");
    // The bodies mangled above were valid: the refusals were the mangling's doing.
    for (method, path, valid) in confirm {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.call_as(&user, m, &path, Some(&valid)).await;
        assert!(
            (200..300).contains(&res.status),
            "{method} {path} with its base body: {} {}",
            res.status,
            res.text()
        );
    }
}

#[actix_web::test]
async fn malformed_ids_and_names_in_paths_are_refused() {
    let (app, user, ids, doc) = setup().await;
    let mut cases = 0;
    for (method, template, op) in operations(&doc) {
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == "path").collect())
            .unwrap_or_default();
        if params.is_empty() {
            continue;
        }
        let body = base(&method, &template, &user).map(|(v, _)| serde_json::to_vec(&v).unwrap());
        for param in params {
            let name = param["name"].as_str().unwrap();
            let uuid = param["schema"]["format"] == "uuid";
            let bad: &[(&str, &[u16])] = if uuid {
                &[
                    ("not-a-uuid", &[400, 422]),
                    ("123", &[400, 422]),
                    ("00000000-0000-0000-0000-00000000000g", &[400, 422]),
                    ("%00", &[400, 422]),
                    ("00000000-0000-0000-0000-0000000000000", &[400, 422]),
                ]
            } else {
                &[("a%00b", &[400, 404, 422]), ("%ff%fe", &[400, 404, 422])]
            };
            for (value, allowed) in bad {
                let mut allowed = allowed.to_vec();
                if method == "PUT" && !uuid {
                    allowed.retain(|s| *s != 404);
                }
                let path = ids.fill(&template.replace(&format!("{{{name}}}"), value));
                let case = Case {
                    what: format!("{name} = {value}"),
                    method: Method::from_bytes(method.as_bytes()).unwrap(),
                    path,
                    content_type: if body.is_some() {
                        "application/json"
                    } else {
                        ""
                    },
                    body: body.clone(),
                    allowed,
                };
                check(&app, &user, &case).await;
                cases += 1;
            }
        }
    }
    // A category name as long as no category can have.
    let case = Case {
        what: "long category name".into(),
        method: Method::PUT,
        path: format!("/api/v1/finances/budgets/{}", "c".repeat(5000)),
        content_type: "application/json",
        body: Some(br#"{"month": "2026-11", "limit": "1.00"}"#.to_vec()),
        allowed: vec![400, 414, 422],
    };
    let res = app
        .send(
            app.request_as(&user.access_token, Method::PUT, &case.path)
                .insert_header(("content-type", "application/json")),
            case.body.clone(),
        )
        .await;
    assert!(
        case.allowed.contains(&res.status),
        "{}: {}",
        res.status,
        res.text()
    );
    assert!(cases >= 60, "only {cases} cases");
}

/// A read's required query, so that only the mangled parameter is wrong.
fn base_query(path: &str) -> Vec<(&'static str, String)> {
    match path {
        "/api/v1/calendar/events" => vec![
            ("from", "2026-11-01T00:00:00Z".into()),
            ("to", "2026-12-01T00:00:00Z".into()),
        ],
        "/api/v1/finances/budgets/{category}" => vec![("month", "2026-11".into())],
        _ => Vec::new(),
    }
}

fn query_string(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[actix_web::test]
async fn every_query_parameter_refuses_bad_values() {
    let (app, user, ids, doc) = setup().await;
    // A genuine cursor of one list, to replay on the others and to tamper with.
    let page = app
        .get_as(&user, "/api/v1/finances/categories?limit=1")
        .await
        .json();
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_owned();
    let mut flipped = cursor.clone().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let mut cases = 0;
    for (method, template, op) in operations(&doc) {
        if method != "GET" && method != "DELETE" {
            continue;
        }
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == "query").collect())
            .unwrap_or_default();
        for param in params {
            let name = param["name"].as_str().unwrap();
            let values: Vec<(String, Vec<u16>)> = match name {
                "limit" => [
                    "100000000000000000000000",
                    "9223372036854775807",
                    "201",
                    "0",
                    "-1",
                    "ten",
                    "1.5",
                    "%00",
                ]
                .iter()
                .map(|v| ((*v).to_owned(), vec![400, 422]))
                .collect(),
                "cursor" => [
                    "garbage!!".to_owned(),
                    "AAAA".to_owned(),
                    "%00".to_owned(),
                    cursor[..cursor.len() / 2].to_owned(),
                    flipped.clone(),
                    "x".repeat(10_000),
                ]
                .into_iter()
                .map(|v| (v, vec![400, 422]))
                .collect(),
                "token" => [String::from("%00"), "x".repeat(10_000), "garbage".into()]
                    .into_iter()
                    .map(|v| (v, vec![400, 401, 404, 422]))
                    .collect(),
                n if DATES.contains(&n) => [
                    "2026-02-30",
                    "2026-13",
                    "2026-13-45T25:61:00Z",
                    "soon",
                    "%00",
                    "+10000-01-01",
                ]
                .iter()
                .map(|v| ((*v).to_owned(), vec![400, 422]))
                .collect(),
                n if ENUMS.contains(&n) || n == "overdue" => ["definitely-not", "%00", "TRUE"]
                    .iter()
                    .map(|v| ((*v).to_owned(), vec![400, 422]))
                    .collect(),
                "min_amount" | "max_amount" => {
                    ["-5", "1e10", "1.234", "NaN", "%00", "99999999999999999999"]
                        .iter()
                        .map(|v| ((*v).to_owned(), vec![400, 422]))
                        .collect()
                }
                "reassign_to" => ["not-a-uuid", "%00"]
                    .iter()
                    .map(|v| ((*v).to_owned(), vec![400, 422]))
                    .collect(),
                // Free text: anything but a 500 (a NUL must not reach PostgreSQL).
                _ => [
                    String::from("a%00b"),
                    "%00".into(),
                    "%".into(),
                    "_".into(),
                    "x".repeat(10_000),
                ]
                .into_iter()
                .map(|v| (v, vec![200, 400, 404, 422]))
                .collect(),
            };
            for (value, allowed) in values {
                let mut query = base_query(&template);
                query.retain(|(k, _)| *k != name);
                query.push((param["name"].as_str().unwrap(), value.clone()));
                let path = format!("{}?{}", ids.fill(&template), query_string(&query));
                let before = snapshot(&app).await;
                let res = app
                    .send(
                        app.request_as(
                            &user.access_token,
                            Method::from_bytes(method.as_bytes()).unwrap(),
                            &path,
                        ),
                        None,
                    )
                    .await;
                assert!(
                    allowed.contains(&res.status),
                    "{method} {template} {name}={}: {} {}",
                    value.chars().take(40).collect::<String>(),
                    res.status,
                    res.text().chars().take(300).collect::<String>()
                );
                if res.status >= 400 {
                    res.problem(res.status);
                }
                assert_eq!(before, snapshot(&app).await, "{method} {path} wrote");
                cases += 1;
            }
        }
    }
    assert!(cases >= 100, "only {cases} cases");
}

#[actix_web::test]
async fn imports_refuse_large_and_mistyped_files() {
    let (app, user, _ids, _doc) = setup().await;
    let csv_head = "occurred_on,kind,amount,category,description\n";
    let mut big_csv = String::from(csv_head);
    while big_csv.len() <= 2 * 1024 * 1024 {
        big_csv
            .push_str("2026-11-20,expense,1.00,food,a fairly long description to fill the file\n");
    }
    let mut big_ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n");
    while big_ics.len() <= 2 * 1024 * 1024 {
        big_ics.push_str("COMMENT:padding padding padding padding padding padding padding\r\n");
    }
    big_ics.push_str("END:VCALENDAR\r\n");
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1@t\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261126T100000Z\r\nDTEND:20261126T110000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let csv = format!("{csv_head}2026-11-20,expense,1.00,food,x\n");
    let csv_path = "/api/v1/finances/transactions/import";
    let ics_path = "/api/v1/calendar/import";
    let cases: Vec<Upload> = vec![
        Upload(
            "CSV over 2 MiB",
            csv_path,
            "text/csv",
            big_csv.into_bytes(),
            vec![413],
        ),
        Upload(
            "ICS over 2 MiB",
            ics_path,
            "text/calendar",
            big_ics.into_bytes(),
            vec![413],
        ),
        Upload(
            "CSV as JSON",
            csv_path,
            "application/json",
            csv.clone().into_bytes(),
            vec![415],
        ),
        Upload(
            "CSV without type",
            csv_path,
            "",
            csv.clone().into_bytes(),
            vec![415],
        ),
        Upload(
            "ICS as text/plain",
            ics_path,
            "text/plain",
            ics.as_bytes().to_vec(),
            vec![415],
        ),
        Upload(
            "ICS as CSV",
            ics_path,
            "text/csv",
            ics.as_bytes().to_vec(),
            vec![415],
        ),
        Upload(
            "CSV with NUL",
            csv_path,
            "text/csv",
            format!("{csv_head}2026-11-20,expense,1.00,fo\0od,x\0y\n").into_bytes(),
            vec![400, 422],
        ),
        Upload(
            "CSV not UTF-8",
            csv_path,
            "text/csv",
            [csv_head.as_bytes(), b"2026-11-20,expense,1.00,\xff\xfe,x\n"].concat(),
            vec![400, 422],
        ),
        Upload(
            "CSV bad date",
            csv_path,
            "text/csv",
            format!("{csv_head}2026-02-30,expense,1.00,food,x\n").into_bytes(),
            vec![400, 422],
        ),
        Upload(
            "CSV long field",
            csv_path,
            "text/csv",
            format!(
                "{csv_head}2026-11-20,expense,1.00,food,{}\n",
                "d".repeat(100_000)
            )
            .into_bytes(),
            vec![400, 422],
        ),
        Upload(
            "ICS with NUL",
            ics_path,
            "text/calendar",
            ics.replace("SUMMARY:x", "SUMMARY:a\0b").into_bytes(),
            vec![400, 422],
        ),
        Upload(
            "ICS not UTF-8",
            ics_path,
            "text/calendar",
            [ics.as_bytes(), b"\xff\xfe"].concat(),
            vec![400, 422],
        ),
        Upload(
            "ICS garbage",
            ics_path,
            "text/calendar",
            b"hello".to_vec(),
            vec![400, 422],
        ),
        Upload(
            "ICS bad date",
            ics_path,
            "text/calendar",
            ics.replace("20261126T100000Z", "20261345T256100Z")
                .into_bytes(),
            vec![400, 422],
        ),
        Upload(
            "ICS long summary",
            ics_path,
            "text/calendar",
            ics.replace("SUMMARY:x", &format!("SUMMARY:{}", "s".repeat(100_000)))
                .into_bytes(),
            vec![400, 422],
        ),
    ];
    for Upload(what, path, content_type, body, allowed) in cases {
        let case = Case {
            what: what.into(),
            method: Method::POST,
            path: path.into(),
            content_type,
            body: Some(body),
            allowed,
        };
        check(&app, &user, &case).await;
    }
    // The small files are fine when typed right.
    let res = app
        .raw(Method::POST, csv_path, "text/csv", csv.as_bytes())
        .await;
    assert_eq!(res.status, 401, "unauthenticated import");
    let res = app
        .send(
            app.request_as(&user.access_token, Method::POST, csv_path)
                .insert_header(("content-type", "text/csv")),
            Some(csv.into_bytes()),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .send(
            app.request_as(&user.access_token, Method::POST, ics_path)
                .insert_header(("content-type", "text/calendar")),
            Some(ics.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[actix_web::test]
async fn the_json_limit_is_one_mebibyte() {
    let (app, user, _ids, _doc) = setup().await;
    // Just under the limit is read (and refused for its content, not its size).
    let pad = 1024 * 1024 - 200;
    let body = json!({"title": "x", "due_at": "2026-11-28T09:00:00Z", "notes": "n".repeat(pad)});
    let bytes = serde_json::to_vec(&body).unwrap();
    assert!(bytes.len() < 1024 * 1024);
    let res = app
        .send(
            app.request_as(&user.access_token, Method::POST, "/api/v1/reminders")
                .insert_header(("content-type", "application/json")),
            Some(bytes),
        )
        .await;
    assert_ne!(res.status, 413, "{}", res.text());
    let mut obj = Map::new();
    obj.insert("title".into(), json!("y".repeat(1024 * 1024)));
    let case = Case {
        what: "1 MiB + title".into(),
        method: Method::POST,
        path: "/api/v1/reminders".into(),
        content_type: "application/json",
        body: Some(serde_json::to_vec(&Value::Object(obj)).unwrap()),
        allowed: vec![413],
    };
    check(&app, &user, &case).await;
}
