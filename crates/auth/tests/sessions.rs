//! Refresh rotation, reuse detection, logout and session management.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use serde_json::{Value, json};
use testkit::{PASSWORD, TestApp};

async fn refresh(app: &TestApp, token: &str) -> testkit::TestResponse {
    app.json(
        Method::POST,
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": token }),
    )
    .await
}

#[actix_web::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_session() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;

    let first = refresh(&app, &user.refresh_token).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let first = first.json();
    assert_ne!(first["refresh_token"], user.refresh_token.as_str());
    let me = app
        .call_with_token(
            first["access_token"].as_str().unwrap(),
            Method::GET,
            "/api/v1/users/me",
            None,
        )
        .await;
    assert_eq!(me.status, 200);

    // The spent token comes back: theft is assumed, the whole session dies.
    refresh(&app, &user.refresh_token).await.problem(401);
    refresh(&app, first["refresh_token"].as_str().unwrap())
        .await
        .problem(401);
}

#[actix_web::test]
async fn garbage_refresh_tokens_are_401() {
    let app = TestApp::spawn().await;
    for bad in ["", "rt_", "rt_AAAA", "eyJhbGciOiJFZERTQSJ9.e30.sig"] {
        refresh(&app, bad).await.problem(401);
    }
}

#[actix_web::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let res = app
        .call_as(
            &user,
            Method::POST,
            "/api/v1/auth/logout",
            Some(&json!({"refresh_token": user.refresh_token})),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    refresh(&app, &user.refresh_token).await.problem(401);
    let unauthenticated = app
        .json(
            Method::POST,
            "/api/v1/auth/logout",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    unauthenticated.problem(401);
}

#[actix_web::test]
async fn sessions_are_listed_marked_and_revocable_by_their_owner_only() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let second: Value = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": PASSWORD}),
        )
        .await
        .json();
    let intruder = app.register_user().await;

    let list = app.get_as(&user, "/api/v1/auth/sessions").await;
    assert_eq!(list.status, 200, "{}", list.text());
    let list = list.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(list["next_cursor"].is_null());
    let paged = app
        .get_as(&user, "/api/v1/auth/sessions?limit=1")
        .await
        .json();
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    let cursor = paged["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(
            &user,
            &format!("/api/v1/auth/sessions?limit=1&cursor={cursor}"),
        )
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_ne!(rest["items"][0]["id"], paged["items"][0]["id"]);

    let other = items.iter().find(|s| s["current"] == false).unwrap();
    let path = format!("/api/v1/auth/sessions/{}", other["id"].as_str().unwrap());
    // Someone else's session is not found, and stays alive.
    app.call_as(&intruder, Method::DELETE, &path, None)
        .await
        .problem(404);
    assert_eq!(
        app.get_as(&intruder, "/api/v1/auth/sessions").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let revoked = app.call_as(&user, Method::DELETE, &path, None).await;
    assert_eq!(revoked.status, 204);
    refresh(&app, second["refresh_token"].as_str().unwrap())
        .await
        .problem(401);
    app.call_as(&user, Method::DELETE, &path, None)
        .await
        .problem(404);
    app.call_as(
        &user,
        Method::DELETE,
        "/api/v1/auth/sessions/not-a-uuid",
        None,
    )
    .await
    .problem(400);
}
