//! `ETag` / `If-Match` on `GET/PATCH/DELETE /users/me`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse, TestUser};

const ME: &str = "/api/v1/users/me";

async fn patch(app: &TestApp, user: &TestUser, if_match: &str, body: &Value) -> TestResponse {
    let req = app
        .request_as(&user.access_token, Method::PATCH, ME)
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", if_match.to_owned()));
    app.send(req, Some(serde_json::to_vec(body).unwrap())).await
}

async fn close(app: &TestApp, user: &TestUser, if_match: &str) -> TestResponse {
    let req = app
        .request_as(&user.access_token, Method::DELETE, ME)
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", if_match.to_owned()));
    let body = json!({"password": user.password});
    app.send(req, Some(serde_json::to_vec(&body).unwrap()))
        .await
}

async fn login(app: &TestApp, user: &TestUser) -> u16 {
    app.json(
        Method::POST,
        "/api/v1/auth/login",
        &json!({"email": user.email, "password": user.password}),
    )
    .await
    .status
}

fn etag(res: &TestResponse) -> String {
    let tag = res.header("etag").expect("an ETag").to_owned();
    assert!(tag.starts_with('"') && tag.ends_with('"'), "strong: {tag}");
    tag
}

#[actix_web::test]
async fn a_patch_with_the_current_tag_applies_and_a_stale_one_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let read = app.get_as(&user, ME).await;
    assert_eq!(read.status, 200);
    let first = etag(&read);
    assert_eq!(etag(&app.get_as(&user, ME).await), first, "stable");

    let res = patch(&app, &user, &first, &json!({"display_name": "Bia"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let second = etag(&res);
    assert_ne!(second, first);
    let after = app.get_as(&user, ME).await;
    assert_eq!(etag(&after), second, "the PATCH answers the new version");
    assert_eq!(after.json()["display_name"], "Bia");

    // The first tag is stale now: 412, and nothing changes.
    patch(
        &app,
        &user,
        &first,
        &json!({"display_name": "Cy", "locale": "pt-BR"}),
    )
    .await
    .problem(412);
    let unchanged = app.get_as(&user, ME).await;
    assert_eq!(unchanged.json(), after.json());
    assert_eq!(etag(&unchanged), second);

    // A weak tag never matches (strong comparison); a list matches any member.
    patch(
        &app,
        &user,
        &format!("W/{second}"),
        &json!({"locale": "pt-BR"}),
    )
    .await
    .problem(412);
    let res = patch(
        &app,
        &user,
        &format!("{first}, {second}"),
        &json!({"locale": "pt-BR"}),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["locale"], "pt-BR");
}

#[actix_web::test]
async fn a_patch_with_a_star_applies_to_the_current_profile() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let before = etag(&app.get_as(&user, ME).await);
    let res = patch(&app, &user, "*", &json!({"week_start": "sunday"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["week_start"], "sunday");
    assert_ne!(etag(&res), before);
}

#[actix_web::test]
async fn each_user_has_their_own_tag() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    let others_tag = etag(&app.get_as(&other, ME).await);
    patch(&app, &user, &others_tag, &json!({"display_name": "X"}))
        .await
        .problem(412);
    assert_eq!(etag(&app.get_as(&other, ME).await), others_tag);
}

#[actix_web::test]
async fn closing_the_account_with_a_stale_tag_deletes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let stale = etag(&app.get_as(&user, ME).await);
    let res = patch(&app, &user, &stale, &json!({"currency": "EUR"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let current = etag(&res);

    close(&app, &user, &stale).await.problem(412);
    assert_eq!(login(&app, &user).await, 200, "the account is still there");
    let me = app.get_as(&user, ME).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["currency"], "EUR");
    assert_eq!(etag(&me), current);

    let res = close(&app, &user, &current).await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert_eq!(login(&app, &user).await, 401, "deleted");
}

#[actix_web::test]
async fn closing_the_account_with_a_star_deletes_it() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let res = close(&app, &user, "*").await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert_eq!(login(&app, &user).await, 401);
}
