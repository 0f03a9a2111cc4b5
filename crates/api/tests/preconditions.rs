//! ETag / If-Match over the whole contract (API.md, "Concurrency"): every
//! single resource is read with a strong `ETag`, and every `PATCH`, `PUT` and
//! `DELETE` of it documents and honours `If-Match`: a stale tag (or a weak
//! one) answers 412 problem+json and changes nothing; the current tag or `*`
//! applies, and a change answers with the new tag. The resources are
//! enumerated from the served OpenAPI document, so a new one fails here
//! until it is added to [`resource`].
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use testkit::{TestApp, TestResponse, TestUser};

/// Written to but without a representation of their own to tag, and why.
const UNTAGGED: &[(&str, &str)] = &[
    (
        "/api/v1/auth/sessions/{id}",
        "a session is only ever listed; revoking one is idempotent",
    ),
    (
        "/api/v1/calendar/events/{id}/exceptions/{exception_id}",
        "an exception is part of its event, whose tag it changes",
    ),
];

/// A tag no resource ever has.
const STALE: &str = "\"0000000000000000\"";

/// Every path with a `PATCH`, `PUT` or `DELETE`, with its operations.
fn written_paths(doc: &Value) -> BTreeMap<String, Value> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, item)| {
            ["patch", "put", "delete"]
                .iter()
                .any(|m| item.get(m).is_some())
        })
        .map(|(path, item)| (path.clone(), item.clone()))
        .collect()
}

/// Whether `op` takes an `If-Match` header.
fn takes_if_match(op: &Value) -> bool {
    op["parameters"].as_array().is_some_and(|params| {
        params
            .iter()
            .any(|p| p["in"] == "header" && p["name"].as_str() == Some("If-Match"))
    })
}

/// Whether `op`'s 200 answer documents an `ETag` header.
fn sends_etag(op: &Value) -> bool {
    op["responses"]["200"]["headers"]
        .as_object()
        .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("etag")))
}

#[actix_web::test]
async fn every_single_resource_documents_etag_if_match_and_412() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (path, item) in written_paths(&doc) {
        if UNTAGGED.iter().any(|(p, _)| *p == path) {
            continue;
        }
        for method in ["patch", "put", "delete"] {
            let Some(op) = item.get(method) else { continue };
            if !takes_if_match(op) {
                wrong.push(format!("{method} {path}: no If-Match header parameter"));
            }
            if op["responses"].get("412").is_none() {
                wrong.push(format!("{method} {path}: no 412 response"));
            }
            checked += 1;
        }
        let reader = item.get("get").or_else(|| item.get("put"));
        match reader {
            Some(op) if sends_etag(op) => {}
            _ => wrong.push(format!("{path}: its read answers no ETag header")),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(checked >= 11, "only {checked} operations checked");
}

/// One tagged resource, made for the test.
struct Resource {
    /// The path the write operations address.
    path: String,
    /// Where the resource is read whole (its GET, or the list showing it).
    witness: String,
    /// Whether `path` answers `GET` with the tag.
    gettable: bool,
    /// Its tag once made.
    tag: String,
    /// A valid change (`PATCH` or `PUT` with its body), if it can change.
    change: Option<(Method, Value)>,
    /// The body `DELETE` needs, if any (and whether it can be deleted at all).
    delete: Option<Option<Value>>,
}

async fn made(app: &TestApp, user: &TestUser, path: &str, body: Value) -> TestResponse {
    let res = app.call_as(user, Method::POST, path, Some(&body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text());
    res
}

fn id_of(res: &TestResponse) -> String {
    res.json()["id"].as_str().expect("an id").to_owned()
}

async fn tag_of(app: &TestApp, user: &TestUser, path: &str) -> String {
    let res = app.get_as(user, path).await;
    assert_eq!(res.status, 200, "{path}: {}", res.text());
    etag(&res, path)
}

fn etag(res: &TestResponse, what: &str) -> String {
    let tag = res
        .header("etag")
        .unwrap_or_else(|| panic!("{what}: no ETag"))
        .to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() > 2,
        "{what}: not a strong tag: {tag}"
    );
    tag
}

/// Makes, as `user`, the resource behind one templated path; `None` for a
/// path this test does not know yet.
async fn resource(app: &TestApp, user: &TestUser, template: &str) -> Option<Resource> {
    let entity = |path: String, tag: String, change: Option<(Method, Value)>| Resource {
        witness: path.clone(),
        path,
        gettable: true,
        tag,
        change,
        delete: Some(None),
    };
    Some(match template {
        "/api/v1/finances/transactions/{id}" => {
            let res = made(
                app,
                user,
                "/api/v1/finances/transactions",
                json!({"kind": "expense", "amount": "12.34", "occurred_on": "2026-11-20",
                       "category": "food", "description": "lunch"}),
            )
            .await;
            let path = format!("/api/v1/finances/transactions/{}", id_of(&res));
            let tag = tag_of(app, user, &path).await;
            entity(path, tag, Some((Method::PATCH, json!({"amount": "12.35"}))))
        }
        "/api/v1/finances/categories/{id}" => {
            let res = made(
                app,
                user,
                "/api/v1/finances/categories",
                json!({"name": "travel"}),
            )
            .await;
            let path = format!("/api/v1/finances/categories/{}", id_of(&res));
            let tag = tag_of(app, user, &path).await;
            entity(path, tag, Some((Method::PATCH, json!({"name": "trips"}))))
        }
        "/api/v1/finances/budgets/{category}" => {
            let body = json!({"month": "2026-11", "limit": "100.00"});
            let res = app
                .call_as(
                    user,
                    Method::PUT,
                    "/api/v1/finances/budgets/rent",
                    Some(&body),
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text());
            Resource {
                path: "/api/v1/finances/budgets/rent?month=2026-11".into(),
                witness: "/api/v1/finances/budgets?month=2026-11".into(),
                gettable: false,
                tag: etag(&res, "PUT budget"),
                change: Some((Method::PUT, json!({"month": "2026-11", "limit": "150.00"}))),
                delete: Some(None),
            }
        }
        "/api/v1/reminders/{id}" => {
            let res = made(
                app,
                user,
                "/api/v1/reminders",
                json!({"title": "call", "due_at": "2026-12-01T10:00:00Z"}),
            )
            .await;
            let path = format!("/api/v1/reminders/{}", id_of(&res));
            let tag = tag_of(app, user, &path).await;
            entity(
                path,
                tag,
                Some((Method::PATCH, json!({"title": "call back"}))),
            )
        }
        "/api/v1/calendar/events/{id}" => {
            let res = made(
                app,
                user,
                "/api/v1/calendar/events",
                json!({"title": "standup", "starts_at": "2026-12-01T09:00:00Z",
                       "ends_at": "2026-12-01T09:15:00Z"}),
            )
            .await;
            let path = format!("/api/v1/calendar/events/{}", id_of(&res));
            let tag = tag_of(app, user, &path).await;
            entity(path, tag, Some((Method::PATCH, json!({"title": "retro"}))))
        }
        "/api/v1/auth/tokens/{id}" => {
            let res = made(
                app,
                user,
                "/api/v1/auth/tokens",
                json!({"name": "script", "scope": "read"}),
            )
            .await;
            let path = format!("/api/v1/auth/tokens/{}", id_of(&res));
            let tag = tag_of(app, user, &path).await;
            entity(path, tag, None)
        }
        "/api/v1/users/me" => {
            let path = "/api/v1/users/me".to_owned();
            let tag = tag_of(app, user, &path).await;
            Resource {
                delete: Some(Some(json!({"password": user.password}))),
                ..entity(
                    path,
                    tag,
                    Some((Method::PATCH, json!({"display_name": "Renamed"}))),
                )
            }
        }
        _ => return None,
    })
}

async fn conditional(
    app: &TestApp,
    user: &TestUser,
    method: Method,
    path: &str,
    body: Option<&Value>,
    if_match: &str,
) -> TestResponse {
    let req = app
        .request_as(&user.access_token, method, path)
        .insert_header(("if-match", if_match.to_owned()));
    match body {
        Some(body) => {
            let req = req.insert_header(("content-type", "application/json"));
            app.send(req, Some(serde_json::to_vec(body).expect("json")))
                .await
        }
        None => app.send(req, None).await,
    }
}

/// The resource's whole representation, as its owner reads it.
async fn read(app: &TestApp, user: &TestUser, witness: &str) -> Value {
    let res = app.get_as(user, witness).await;
    assert_eq!(res.status, 200, "{witness}: {}", res.text());
    res.json()
}

/// Runs the precondition checks on one resource; returns how many it made.
async fn check(app: &TestApp, user: &TestUser, template: &str, r: Resource) -> usize {
    let before = read(app, user, &r.witness).await;
    let delete_body = r.delete.clone().flatten();
    let mut checks = 0;

    // Stale or weak tags: 412, nothing changes.
    let weak = format!("W/{}", r.tag);
    for tag in [STALE, weak.as_str()] {
        if let Some((method, body)) = &r.change {
            conditional(app, user, method.clone(), &r.path, Some(body), tag)
                .await
                .problem(412);
            checks += 1;
        }
        if r.delete.is_some() {
            conditional(
                app,
                user,
                Method::DELETE,
                &r.path,
                delete_body.as_ref(),
                tag,
            )
            .await
            .problem(412);
            checks += 1;
        }
        assert_eq!(
            read(app, user, &r.witness).await,
            before,
            "{template}: changed by If-Match {tag}"
        );
    }

    // The current tag applies; the answer carries the next one.
    let mut current = r.tag.clone();
    if let Some((method, body)) = &r.change {
        let res = conditional(app, user, method.clone(), &r.path, Some(body), &current).await;
        assert_eq!(res.status, 200, "{template}: {}", res.text());
        let next = etag(&res, template);
        assert_ne!(
            next, current,
            "{template}: the tag did not change with the resource"
        );
        if r.gettable {
            assert_eq!(
                tag_of(app, user, &r.path).await,
                next,
                "{template}: GET disagrees"
            );
        }
        assert_ne!(
            read(app, user, &r.witness).await,
            before,
            "{template}: the change was not applied"
        );
        // The tag read before the change is stale now.
        conditional(app, user, method.clone(), &r.path, Some(body), &current)
            .await
            .problem(412);
        let res = conditional(app, user, method.clone(), &r.path, Some(body), "*").await;
        assert_eq!(res.status, 200, "{template} with *: {}", res.text());
        current = etag(&res, template);
        checks += 3;
    }
    if r.delete.is_some() {
        let res = conditional(
            app,
            user,
            Method::DELETE,
            &r.path,
            delete_body.as_ref(),
            &current,
        )
        .await;
        assert_eq!(res.status, 204, "{template}: {}", res.text());
        checks += 1;
    }
    checks
}

#[actix_web::test]
async fn every_single_resource_honours_if_match() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let user = app.register_user().await;
    let mut missing = Vec::new();
    let mut checks = 0;
    let mut last = None;
    for template in written_paths(&doc).into_keys() {
        if UNTAGGED.iter().any(|(p, _)| *p == template) {
            continue;
        }
        // Deleting the account ends the user: do it last.
        if template == "/api/v1/users/me" {
            last = Some(template);
            continue;
        }
        match resource(&app, &user, &template).await {
            Some(r) => checks += check(&app, &user, &template, r).await,
            None => missing.push(template),
        }
    }
    let template = last.expect("/api/v1/users/me is in the contract");
    let r = resource(&app, &user, &template).await.expect("the profile");
    checks += check(&app, &user, &template, r).await;
    assert!(
        missing.is_empty(),
        "tagged resources this test cannot make yet: add them to `resource`: {missing:?}"
    );
    assert!(checks >= 40, "only {checks} checks");
}

#[actix_web::test]
async fn another_users_resource_is_not_found_even_with_if_match_star() {
    let app = TestApp::spawn().await;
    let alice = app.register_user().await;
    let bob = app.register_user().await;
    for template in [
        "/api/v1/finances/transactions/{id}",
        "/api/v1/finances/categories/{id}",
        "/api/v1/reminders/{id}",
        "/api/v1/calendar/events/{id}",
        "/api/v1/auth/tokens/{id}",
    ] {
        let r = resource(&app, &alice, template).await.expect("known");
        let before = app.get_as(&alice, &r.witness).await.json();
        if let Some((method, body)) = &r.change {
            conditional(&app, &bob, method.clone(), &r.path, Some(body), "*")
                .await
                .problem(404);
            conditional(&app, &bob, method.clone(), &r.path, Some(body), &r.tag)
                .await
                .problem(404);
        }
        conditional(&app, &bob, Method::DELETE, &r.path, None, &r.tag)
            .await
            .problem(404);
        assert_eq!(
            app.get_as(&alice, &r.witness).await.json(),
            before,
            "{template}"
        );
    }
}
