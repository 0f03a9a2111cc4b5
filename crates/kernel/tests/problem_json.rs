//! Every way a request can fail at the HTTP edge answers RFC 9457
//! problem+json with the right status, and a 500 never leaks its cause.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, test, web};
use kernel::ApiError;
use kernel::http::{fallback, json_config, observe, path_config, query_config};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[allow(dead_code)]
struct Body {
    name: String,
    count: u32,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Query {
    limit: u32,
}

async fn echo(body: web::Json<Body>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "name": body.name }))
}

async fn by_id(id: web::Path<uuid::Uuid>) -> HttpResponse {
    HttpResponse::Ok().body(id.to_string())
}

async fn list(_q: web::Query<Query>) -> HttpResponse {
    HttpResponse::Ok().finish()
}

async fn boom() -> Result<HttpResponse, ApiError> {
    Err(ApiError::internal(anyhow::anyhow!(
        "secret table name users.passwords exploded"
    )))
}

async fn slow_down() -> Result<HttpResponse, ApiError> {
    Err(ApiError::TooManyRequests {
        retry_after_secs: 7,
    })
}

async fn invalid() -> Result<HttpResponse, ApiError> {
    Err(ApiError::field("amount", "must be positive"))
}

async fn plain_text_error() -> HttpResponse {
    HttpResponse::BadRequest().body("plain words")
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .app_data(json_config(64))
                .app_data(query_config())
                .app_data(path_config())
                .route("/echo", web::post().to(echo))
                .route("/items/{id}", web::get().to(by_id))
                .route("/items", web::get().to(list))
                .route("/boom", web::get().to(boom))
                .route("/slow", web::get().to(slow_down))
                .route("/invalid", web::post().to(invalid))
                .route("/plain", web::get().to(plain_text_error))
                .default_service(web::to(fallback))
                .wrap(from_fn(observe)),
        )
        .await
    };
}

async fn problem(res: actix_web::dev::ServiceResponse, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    assert!(res.headers().contains_key("x-request-id"));
    let body: Value = test::read_body_json(res).await;
    assert_eq!(body["status"], status);
    assert!(
        body["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:my-agent:problem:")
    );
    assert!(body["title"].is_string());
    assert!(body["detail"].is_string());
    body
}

fn post_json(uri: &str, body: &'static str) -> test::TestRequest {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/json"))
        .set_payload(body)
}

#[actix_web::test]
async fn malformed_json_is_400() {
    let app = app!();
    let res = test::call_service(&app, post_json("/echo", "{\"name\": ").to_request()).await;
    problem(res, 400).await;
}

#[actix_web::test]
async fn wrong_types_and_missing_fields_are_422() {
    let app = app!();
    for body in [
        r#"{"name": 5, "count": 1}"#,
        r#"{"name": "a"}"#,
        r#"{"name": "a", "count": -1}"#,
    ] {
        let res = test::call_service(&app, post_json("/echo", body).to_request()).await;
        problem(res, 422).await;
    }
}

#[actix_web::test]
async fn oversized_body_is_413() {
    let app = app!();
    let big =
        Box::leak(format!("{{\"name\": \"{}\", \"count\": 1}}", "x".repeat(100)).into_boxed_str());
    let res = test::call_service(&app, post_json("/echo", big).to_request()).await;
    problem(res, 413).await;
}

#[actix_web::test]
async fn wrong_content_type_is_415() {
    let app = app!();
    let req = test::TestRequest::post()
        .uri("/echo")
        .insert_header(("content-type", "text/plain"))
        .set_payload(r#"{"name": "a", "count": 1}"#)
        .to_request();
    problem(test::call_service(&app, req).await, 415).await;
}

#[actix_web::test]
async fn bad_path_and_query_parameters_are_400() {
    let app = app!();
    let req = test::TestRequest::get()
        .uri("/items/not-a-uuid")
        .to_request();
    problem(test::call_service(&app, req).await, 400).await;
    let req = test::TestRequest::get()
        .uri("/items?limit=lots")
        .to_request();
    problem(test::call_service(&app, req).await, 400).await;
}

#[actix_web::test]
async fn internal_errors_hide_their_cause() {
    let app = app!();
    let req = test::TestRequest::get().uri("/boom").to_request();
    let body = problem(test::call_service(&app, req).await, 500).await;
    let text = body.to_string();
    assert!(!text.contains("secret"), "{text}");
    assert!(!text.contains("users.passwords"), "{text}");
}

#[actix_web::test]
async fn rate_limits_say_when_to_retry() {
    let app = app!();
    let req = test::TestRequest::get().uri("/slow").to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.headers().get("retry-after").unwrap(), "7");
    problem(res, 429).await;
}

#[actix_web::test]
async fn validation_errors_name_their_fields() {
    let app = app!();
    let req = test::TestRequest::post().uri("/invalid").to_request();
    let body = problem(test::call_service(&app, req).await, 422).await;
    assert_eq!(
        body["errors"],
        json!([{"field": "amount", "message": "must be positive"}])
    );
}

#[actix_web::test]
async fn non_problem_error_bodies_are_rewritten() {
    let app = app!();
    let req = test::TestRequest::get().uri("/plain").to_request();
    problem(test::call_service(&app, req).await, 400).await;
}

#[actix_web::test]
async fn unknown_routes_are_404() {
    let app = app!();
    let req = test::TestRequest::get().uri("/nowhere").to_request();
    problem(test::call_service(&app, req).await, 404).await;
}
