//! Reminder CRUD, the list and its filters, ownership and the OpenAPI
//! document, over HTTP against a real database on a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use actix_web::http::Method;
use common::{act, at, create, fields, move_to, relogin, spawn_at, user_in, utc};
use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

async fn list(app: &TestApp, user: &TestUser, query: &str) -> Value {
    let res = app.get_as(user, &format!("/api/v1/reminders{query}")).await;
    assert_eq!(res.status, 200, "{query}: {}", res.text());
    res.json()
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn create_get_patch_delete() {
    let (app, clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "America/Sao_Paulo").await;
    let res = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/reminders",
            Some(&json!({"title": "  Pay rent  ", "notes": "Bank transfer", "due_at": "2026-12-01T09:00:00.750-03:00", "priority": "high"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let r = res.json();
    let id = r["id"].as_str().unwrap();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/reminders/{id}").as_str())
    );
    assert_eq!(r["title"], "Pay rent");
    assert_eq!(r["notes"], "Bank transfer");
    assert_eq!(r["due_at"], "2026-12-01T12:00:00Z", "UTC, to the second");
    assert_eq!(r["priority"], "high");
    assert_eq!(r["status"], "pending");
    assert!(r["completed_at"].is_null() && r["rrule"].is_null() && r["repeat_from"].is_null());
    assert_eq!(at(&r["created_at"]), utc("2026-11-25T12:00:00Z"));
    let path = format!("/api/v1/reminders/{id}");
    assert_eq!(app.get_as(&user, &path).await.json(), r);

    let defaults = create(
        &app,
        &user,
        json!({"title": "Plain", "due_at": "2026-12-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(defaults["priority"], "normal");
    assert!(defaults["notes"].is_null());

    let user = move_to(&app, &clock, &user, "2026-11-25T13:00:00Z").await;
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            &path,
            Some(&json!({"title": "Pay the rent", "notes": null, "priority": "low"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let patched = res.json();
    assert_eq!(patched["title"], "Pay the rent");
    assert!(patched["notes"].is_null());
    assert_eq!(patched["priority"], "low");
    assert_eq!(patched["due_at"], r["due_at"], "untouched");
    assert_eq!(at(&patched["updated_at"]), utc("2026-11-25T13:00:00Z"));
    assert_eq!(app.get_as(&user, &path).await.json(), patched, "persisted");

    let res = app.call_as(&user, Method::DELETE, &path, None).await;
    assert_eq!(res.status, 204);
    app.get_as(&user, &path).await.problem(404);
    app.call_as(&user, Method::DELETE, &path, None)
        .await
        .problem(404);
}

#[actix_web::test]
async fn invalid_values_are_all_named() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let p = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/reminders",
            Some(&json!({"title": " ", "notes": "x".repeat(5001), "due_at": "2026-12-01 09:00", "priority": "urgent", "rrule": "FREQ=NEVER", "repeat_from": "start"})),
        )
        .await
        .problem(422);
    assert_eq!(
        fields(&p),
        [
            "title",
            "notes",
            "due_at",
            "priority",
            "rrule",
            "repeat_from"
        ]
    );
    let long = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/reminders",
            Some(&json!({"title": "t".repeat(201), "due_at": "2026-12-01T09:00:00Z"})),
        )
        .await
        .problem(422);
    assert_eq!(fields(&long), ["title"]);
    // Unknown fields, wrong types and missing fields: 422; unreadable JSON: 400.
    for body in [
        json!({"title": "x", "due_at": "2026-12-01T09:00:00Z", "status": "done"}),
        json!({"title": "x", "due_at": "2026-12-01T09:00:00Z", "user_id": user.user_id}),
        json!({"title": 5, "due_at": "2026-12-01T09:00:00Z"}),
        json!({"title": "x"}),
    ] {
        app.call_as(&user, Method::POST, "/api/v1/reminders", Some(&body))
            .await
            .problem(422);
    }
    app.send(
        app.request_as(&user.access_token, Method::POST, "/api/v1/reminders")
            .insert_header(("content-type", "application/json")),
        Some(b"{\"title\": ".to_vec()),
    )
    .await
    .problem(400);
    app.get_as(&user, "/api/v1/reminders/not-a-uuid")
        .await
        .problem(400);
    let list = list(&app, &user, "").await;
    assert!(
        list["items"].as_array().unwrap().is_empty(),
        "nothing was created"
    );
}

#[actix_web::test]
async fn other_users_reminders_are_404_and_invisible() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let owner = user_in(&app, "UTC").await;
    let other = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &owner,
        json!({"title": "Mine", "due_at": "2026-11-20T09:00:00Z", "rrule": "FREQ=DAILY"}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let path = format!("/api/v1/reminders/{id}");

    app.get_as(&other, &path).await.problem(404);
    app.call_as(
        &other,
        Method::PATCH,
        &path,
        Some(&json!({"title": "Hijacked"})),
    )
    .await
    .problem(404);
    for action in ["complete", "reopen"] {
        app.call_as(&other, Method::POST, &format!("{path}/{action}"), None)
            .await
            .problem(404);
    }
    app.call_as(
        &other,
        Method::POST,
        &format!("{path}/snooze"),
        Some(&json!({"until": "2026-12-01T00:00:00Z"})),
    )
    .await
    .problem(404);
    app.call_as(&other, Method::DELETE, &path, None)
        .await
        .problem(404);
    for query in ["", "?overdue=true", "?status=pending"] {
        let page = list(&app, &other, query).await;
        assert!(page["items"].as_array().unwrap().is_empty(), "{query}");
    }
    assert_eq!(app.get_as(&owner, &path).await.json(), r, "untouched");
    assert_eq!(titles(&list(&app, &owner, "?overdue=true").await), ["Mine"]);
}

#[actix_web::test]
async fn the_list_is_ordered_by_due_time_and_paged_by_keyset() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    // Out of order, with ties on due_at (ordered by id, i.e. creation order here).
    for (title, due) in [
        ("c", "2026-11-27T09:00:00Z"),
        ("a1", "2026-11-26T09:00:00Z"),
        ("d", "2026-11-28T09:00:00-03:00"),
        ("a2", "2026-11-26T09:00:00Z"),
        ("a3", "2026-11-26T06:00:00-03:00"),
    ] {
        create(&app, &user, json!({"title": title, "due_at": due})).await;
    }
    let all = list(&app, &user, "").await;
    let order = titles(&all);
    let mut ties = order[..3].to_vec();
    ties.sort();
    assert_eq!(ties, ["a1", "a2", "a3"], "the three ties come first");
    assert_eq!(order[3..], ["c", "d"]);
    let tie_ids: Vec<&str> = all["items"].as_array().unwrap()[..3]
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(tie_ids.is_sorted(), "ties are ordered by id");
    assert!(all["next_cursor"].is_null());

    let mut seen = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let page = list(&app, &user, &query).await;
        assert!(page["items"].as_array().unwrap().len() <= 2);
        seen.extend(titles(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, order, "no row lost or repeated");

    app.get_as(&user, "/api/v1/reminders?cursor=garbage")
        .await
        .problem(400);
    app.get_as(&user, "/api/v1/reminders?limit=0")
        .await
        .problem(422);
    app.get_as(&user, "/api/v1/reminders?limit=201")
        .await
        .problem(422);
    app.get_as(&user, "/api/v1/reminders?sort=title")
        .await
        .problem(400);
}

#[actix_web::test]
async fn filters_combine() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    for (title, due, priority) in [
        ("past-high", "2026-11-20T09:00:00Z", "high"),
        ("past-low", "2026-11-21T09:00:00Z", "low"),
        ("soon-high", "2026-11-26T09:00:00Z", "high"),
        ("later", "2026-12-05T09:00:00Z", "normal"),
    ] {
        create(
            &app,
            &user,
            json!({"title": title, "due_at": due, "priority": priority}),
        )
        .await;
    }
    let done = create(
        &app,
        &user,
        json!({"title": "done-past", "due_at": "2026-11-19T09:00:00Z"}),
    )
    .await;
    act(&app, &user, &done["id"], "complete", None).await;

    assert_eq!(
        titles(&list(&app, &user, "?status=done").await),
        ["done-past"]
    );
    assert_eq!(
        titles(&list(&app, &user, "?status=pending").await),
        ["past-high", "past-low", "soon-high", "later"]
    );
    assert_eq!(
        titles(&list(&app, &user, "?priority=high").await),
        ["past-high", "soon-high"]
    );
    assert_eq!(
        titles(
            &list(
                &app,
                &user,
                "?due_from=2026-11-21T09:00:00Z&due_to=2026-12-05T09:00:00Z"
            )
            .await
        ),
        ["past-low", "soon-high"],
        "from inclusive, to exclusive"
    );
    assert_eq!(
        titles(
            &list(
                &app,
                &user,
                "?due_from=2026-11-21T06:00:00%2D03:00&due_to=2026-11-26T06:00:00%2B00:00"
            )
            .await
        ),
        ["past-low"]
    );
    assert_eq!(
        titles(&list(&app, &user, "?due_to=2026-11-26T11:00:00+01:00").await),
        ["done-past", "past-high", "past-low", "soon-high"],
        "an unencoded + still reads as an offset"
    );
    assert_eq!(
        titles(&list(&app, &user, "?overdue=true").await),
        ["past-high", "past-low"]
    );
    assert_eq!(
        titles(&list(&app, &user, "?overdue=true&priority=low").await),
        ["past-low"]
    );
    assert_eq!(titles(&list(&app, &user, "?overdue=false").await).len(), 5);

    let p = app
        .get_as(&user, "/api/v1/reminders?status=open&priority=urgent&due_from=yesterday&due_to=2026-13-01T00:00:00Z")
        .await
        .problem(422);
    assert_eq!(fields(&p), ["status", "priority", "due_from", "due_to"]);
    let p = app
        .get_as(
            &user,
            "/api/v1/reminders?due_from=2026-12-01T00:00:00Z&due_to=2026-11-01T00:00:00Z",
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["due_to"]);
    app.get_as(&user, "/api/v1/reminders?overdue=yes")
        .await
        .problem(400);
}

#[actix_web::test]
async fn overdue_means_pending_and_due_strictly_before_now() {
    let (app, clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    for (title, due) in [
        ("a second ago", "2026-11-25T11:59:59Z"),
        ("exactly now", "2026-11-25T12:00:00Z"),
        ("in a second", "2026-11-25T12:00:01Z"),
    ] {
        create(&app, &user, json!({"title": title, "due_at": due})).await;
    }
    assert_eq!(
        titles(&list(&app, &user, "?overdue=true").await),
        ["a second ago"]
    );
    let user = move_to(&app, &clock, &user, "2026-11-25T12:00:01Z").await;
    assert_eq!(
        titles(&list(&app, &user, "?overdue=true").await),
        ["a second ago", "exactly now"]
    );
    let user = relogin(&app, &user).await;
    let page = list(&app, &user, "?overdue=true").await;
    act(&app, &user, &page["items"][0]["id"], "complete", None).await;
    assert_eq!(
        titles(&list(&app, &user, "?overdue=true").await),
        ["exactly now"],
        "done is never overdue"
    );
}

#[actix_web::test]
async fn a_read_only_token_cannot_write() {
    let (app, _clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let res = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "ro", "scope": "read"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let token = res.json()["token"].as_str().unwrap().to_owned();
    let r = create(
        &app,
        &user,
        json!({"title": "x", "due_at": "2026-12-01T00:00:00Z"}),
    )
    .await;
    let path = format!("/api/v1/reminders/{}", r["id"].as_str().unwrap());
    let res = app.call_with_token(&token, Method::GET, &path, None).await;
    assert_eq!(res.status, 200);
    app.call_with_token(&token, Method::POST, &format!("{path}/complete"), None)
        .await
        .problem(403);
    app.call_with_token(
        &token,
        Method::POST,
        "/api/v1/reminders",
        Some(&json!({"title": "y", "due_at": "2026-12-01T00:00:00Z"})),
    )
    .await
    .problem(403);
    app.get("/api/v1/reminders").await.problem(401);
}

#[actix_web::test]
async fn every_endpoint_is_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let paths = &doc["paths"];
    for (path, methods) in [
        ("/api/v1/reminders", &["get", "post"][..]),
        ("/api/v1/reminders/{id}", &["get", "patch", "delete"][..]),
        ("/api/v1/reminders/{id}/complete", &["post"][..]),
        ("/api/v1/reminders/{id}/snooze", &["post"][..]),
        ("/api/v1/reminders/{id}/reopen", &["post"][..]),
    ] {
        for method in methods {
            let op = &paths[path][*method];
            assert!(op.is_object(), "{method} {path} is missing");
            assert_eq!(op["tags"][0], "reminders", "{method} {path}");
        }
    }
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(tags.contains(&"reminders"));
}

#[actix_web::test]
async fn if_match_guards_patch_and_delete() {
    let (app, clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let r = create(
        &app,
        &user,
        json!({"title": "x", "due_at": "2026-12-01T00:00:00Z"}),
    )
    .await;
    let path = format!("/api/v1/reminders/{}", r["id"].as_str().unwrap());
    let read = app.get_as(&user, &path).await;
    let etag = read.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"'), "{etag}");

    let user = move_to(&app, &clock, &user, "2026-11-25T12:01:00Z").await;
    let patch = |tag: &str| {
        app.request_as(&user.access_token, Method::PATCH, &path)
            .insert_header(("content-type", "application/json"))
            .insert_header(("if-match", tag.to_owned()))
    };
    let res = app
        .send(patch(&etag), Some(br#"{"title": "y"}"#.to_vec()))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let new_etag = res.header("etag").unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // The old tag no longer matches: 412, and nothing changes.
    app.send(patch(&etag), Some(br#"{"title": "z"}"#.to_vec()))
        .await
        .problem(412);
    assert_eq!(app.get_as(&user, &path).await.json()["title"], "y");
    let delete = |tag: &str| {
        app.request_as(&user.access_token, Method::DELETE, &path)
            .insert_header(("if-match", tag.to_owned()))
    };
    app.send(delete(&etag), None).await.problem(412);
    let res = app.send(delete(&new_etag), None).await;
    assert_eq!(res.status, 204);
    app.send(delete("*"), None).await.problem(404);
}
