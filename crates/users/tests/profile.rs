//! `GET/PATCH /users/me` over HTTP against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use serde_json::json;
use testkit::TestApp;

#[actix_web::test]
async fn the_profile_needs_a_token() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/users/me").await.problem(401);
    app.json(
        Method::PATCH,
        "/api/v1/users/me",
        &json!({"locale": "pt-BR"}),
    )
    .await
    .problem(401);
}

#[actix_web::test]
async fn registration_preferences_and_defaults_show_in_the_profile() {
    let app = TestApp::spawn().await;
    let user = app
        .register_with(
            json!({"display_name": "Ana", "timezone": "Europe/Lisbon", "currency": "EUR"}),
        )
        .await;
    let me = app.get_as(&user, "/api/v1/users/me").await.json();
    assert_eq!(me["id"], user.user_id.to_string());
    assert_eq!(me["email"], user.email);
    assert_eq!(me["display_name"], "Ana");
    assert_eq!(me["timezone"], "Europe/Lisbon");
    assert_eq!(me["currency"], "EUR");
    assert_eq!(me["locale"], "en");
    assert_eq!(me["week_start"], "monday");
    assert_eq!(me["created_at"], me["updated_at"]);
}

#[actix_web::test]
async fn a_patch_changes_only_what_it_names() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let before = app.get_as(&user, "/api/v1/users/me").await.json();
    let res = app
        .call_as(&user, Method::PATCH, "/api/v1/users/me", Some(&json!({"timezone": "America/Sao_Paulo", "locale": "pt-br", "week_start": "sunday"})))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let after = res.json();
    assert_eq!(after["timezone"], "America/Sao_Paulo");
    assert_eq!(after["locale"], "pt-BR", "normalised");
    assert_eq!(after["week_start"], "sunday");
    assert_eq!(after["currency"], before["currency"]);
    assert_eq!(after["display_name"], before["display_name"]);
    assert_ne!(after["updated_at"], before["updated_at"]);
    assert_eq!(
        app.get_as(&user, "/api/v1/users/me").await.json(),
        after,
        "persisted"
    );
}

#[actix_web::test]
async fn invalid_values_are_all_named_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let before = app.get_as(&user, "/api/v1/users/me").await.json();
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&json!({"display_name": "  ", "timezone": "Mars/Olympus", "currency": "usd", "locale": "en_US", "week_start": "friday"})),
        )
        .await;
    let problem = res.problem(422);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "display_name",
            "timezone",
            "currency",
            "locale",
            "week_start"
        ]
    );
    assert_eq!(app.get_as(&user, "/api/v1/users/me").await.json(), before);
}

#[actix_web::test]
async fn clients_cannot_set_what_they_do_not_own() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    for body in [
        json!({"id": other.user_id}),
        json!({"user_id": other.user_id}),
        json!({"email": "x@example.com"}),
        json!({"created_at": "2020-01-01T00:00:00Z"}),
    ] {
        app.call_as(&user, Method::PATCH, "/api/v1/users/me", Some(&body))
            .await
            .problem(422);
    }
    app.call_as(
        &user,
        Method::PATCH,
        "/api/v1/users/me",
        Some(&json!({"timezone": 5})),
    )
    .await
    .problem(422);
    let raw = app
        .send(
            app.request_as(&user.access_token, Method::PATCH, "/api/v1/users/me")
                .insert_header(("content-type", "application/json")),
            Some(b"{\"timezone\": ".to_vec()),
        )
        .await;
    raw.problem(400);
    let me = app.get_as(&other, "/api/v1/users/me").await.json();
    assert_eq!(
        me["id"],
        other.user_id.to_string(),
        "each caller sees only their own profile"
    );
}
