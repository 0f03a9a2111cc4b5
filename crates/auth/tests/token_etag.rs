//! `ETag` / `If-Match` on `GET/DELETE /auth/tokens/{id}`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use chrono::{Duration, Utc};
use kernel::FixedClock;
use serde_json::json;
use testkit::{TestApp, TestResponse, TestUser};

/// A new read token of `user`: its URL, its secret and the create's `ETag`.
async fn token(app: &TestApp, user: &TestUser) -> (String, String, String) {
    let created = app
        .call_as(
            user,
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&json!({"name": "script", "scope": "read"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let tag = created.header("etag").expect("an ETag").to_owned();
    let created = created.json();
    (
        format!("/api/v1/auth/tokens/{}", created["id"].as_str().unwrap()),
        created["token"].as_str().unwrap().to_owned(),
        tag,
    )
}

async fn revoke(app: &TestApp, user: &TestUser, path: &str, if_match: &str) -> TestResponse {
    let req = app
        .request_as(&user.access_token, Method::DELETE, path)
        .insert_header(("if-match", if_match.to_owned()));
    app.send(req, None).await
}

async fn works(app: &TestApp, secret: &str) -> bool {
    let res = app
        .call_with_token(secret, Method::GET, "/api/v1/users/me", None)
        .await;
    match res.status {
        200 => true,
        401 => false,
        other => panic!("unexpected {other}: {}", res.text()),
    }
}

fn etag(res: &TestResponse) -> String {
    assert_eq!(res.status, 200, "{}", res.text());
    let tag = res.header("etag").expect("an ETag").to_owned();
    assert!(tag.starts_with('"') && tag.ends_with('"'), "strong: {tag}");
    tag
}

#[actix_web::test]
async fn a_use_changes_the_tag_and_a_stale_tag_revokes_nothing() {
    let clock = FixedClock::at(Utc::now());
    let app = TestApp::builder().clock(clock.clone()).spawn().await;
    let user = app.register_user().await;
    let (path, secret, made) = token(&app, &user).await;
    let unused = etag(&app.get_as(&user, &path).await);
    assert_eq!(unused, made, "the create's tag is the GET's");
    assert_eq!(etag(&app.get_as(&user, &path).await), unused, "stable");

    // A use moves `last_used_at`, which the GET shows: a new version.
    clock.advance(Duration::seconds(1));
    assert!(works(&app, &secret).await);
    let read = app.get_as(&user, &path).await;
    let used = etag(&read);
    assert_ne!(used, unused);
    assert!(read.json()["last_used_at"].is_string());

    revoke(&app, &user, &path, &unused).await.problem(412);
    assert!(works(&app, &secret).await, "still valid after a 412");

    let current = etag(&app.get_as(&user, &path).await);
    let res = revoke(&app, &user, &path, &current).await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert!(!works(&app, &secret).await, "revoked");
    revoke(&app, &user, &path, "*").await.problem(404);
}

#[actix_web::test]
async fn a_star_revokes_the_callers_token_and_only_theirs() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let intruder = app.register_user().await;
    let (path, secret, _) = token(&app, &user).await;

    // Someone else's token is missing to them, whatever the precondition.
    revoke(&app, &intruder, &path, "*").await.problem(404);
    let tag = etag(&app.get_as(&user, &path).await);
    revoke(&app, &intruder, &path, &tag).await.problem(404);
    assert!(works(&app, &secret).await);

    let res = revoke(&app, &user, &path, "*").await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert!(!works(&app, &secret).await);
}

#[actix_web::test]
async fn a_weak_tag_never_matches() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let (path, secret, _) = token(&app, &user).await;
    let tag = etag(&app.get_as(&user, &path).await);
    revoke(&app, &user, &path, &format!("W/{tag}"))
        .await
        .problem(412);
    assert!(works(&app, &secret).await);
}
