//! RULES R13: no in-process session state. Two independent instances over one
//! database: whatever one issues, the other honours.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use serde_json::json;
use testkit::TestApp;

#[actix_web::test]
async fn two_instances_one_token() {
    let a = TestApp::spawn().await;
    let b = TestApp::builder().sharing_database_of(&a).spawn().await;

    let user = a.register_user().await;
    let me = b.get_as(&user, "/api/v1/users/me").await;
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["email"], user.email);

    let pair = b
        .json(
            Method::POST,
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_eq!(pair.status, 200, "{}", pair.text());
    let pair = pair.json();

    // An access token issued by B works on A.
    let patched = a
        .call_with_token(
            pair["access_token"].as_str().unwrap(),
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"locale": "pt-BR"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text());
    assert_eq!(
        b.get_as(&user, "/api/v1/users/me").await.json()["locale"],
        "pt-BR"
    );

    // The refresh token spent on B is spent for A too: reuse revokes the session everywhere.
    a.json(
        Method::POST,
        "/api/v1/auth/refresh",
        &json!({"refresh_token": user.refresh_token}),
    )
    .await
    .problem(401);
    b.json(
        Method::POST,
        "/api/v1/auth/refresh",
        &json!({"refresh_token": pair["refresh_token"]}),
    )
    .await
    .problem(401);
}
