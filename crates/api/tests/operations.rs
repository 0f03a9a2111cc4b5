//! The operational endpoints over HTTP against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use testkit::TestApp;

#[actix_web::test]
async fn health_answers_without_touching_the_database() {
    let app = TestApp::builder().through_proxy().spawn().await;
    app.proxy().cut();
    let res = app.get("/health").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["status"], "ok");
    assert!(res.header("x-request-id").is_some_and(|id| !id.is_empty()));
}

#[actix_web::test]
async fn ready_when_the_database_is_migrated() {
    let app = TestApp::spawn().await;
    let res = app.get("/ready").await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["status"], "ready");
}

#[actix_web::test]
async fn not_ready_while_migrations_are_pending() {
    let app = TestApp::builder().unmigrated().spawn().await;
    let problem = app.get("/ready").await.problem(503);
    assert!(
        problem["detail"].as_str().unwrap().contains("pending"),
        "{problem}"
    );
}

#[actix_web::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = TestApp::spawn().await;
    app.get("/health").await;
    app.get("/no/such/thing").await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status, 200);
    assert!(
        res.header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = res.text();
    assert!(
        text.contains(
            r#"my_agent_http_requests_total{method="GET",route="/health",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(
        !text.contains("/no/such/thing"),
        "raw paths must not become labels"
    );
    assert!(
        text.contains("my_agent_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("my_agent_db_pool_max_size 4"), "{text}");
}

#[actix_web::test]
async fn openapi_document_is_served_and_lists_the_routes() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status, 200);
    let doc = res.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/health", "/ready", "/metrics"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[actix_web::test]
async fn docs_page_renders_the_document_offline() {
    let app = TestApp::spawn().await;
    // `/docs` redirects to `/docs/` (the client follows it).
    let page = app.get("/docs").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html"));
    assert!(page.text().contains("swagger-ui"), "{}", page.text());
    let init = app.get("/docs/swagger-initializer.js").await;
    assert!(init.text().contains("/api/v1/openapi.json"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(
        bundle.status, 200,
        "the UI's JavaScript is served by the binary itself"
    );
}

#[actix_web::test]
async fn unknown_routes_and_wrong_methods_answer_problems() {
    let app = TestApp::spawn().await;
    let missing = app.get("/api/v1/nothing-here").await;
    missing.problem(404);
    assert!(missing.header("x-request-id").is_some());

    let wrong = app.send(app.request(Method::DELETE, "/health"), None).await;
    wrong.problem(405);
    assert_eq!(wrong.header("allow"), Some("GET, HEAD"));

    // `/transactions/import` is a route of its own, not an id for `/transactions/{id}`.
    let user = app.register_user().await;
    let literal = app
        .call_as(
            &user,
            Method::PATCH,
            "/api/v1/finances/transactions/import",
            Some(&serde_json::json!({})),
        )
        .await;
    literal.problem(405);
    assert_eq!(literal.header("allow"), Some("POST"));
    let bad_id = app
        .call_as(
            &user,
            Method::PATCH,
            "/api/v1/finances/transactions/not-a-uuid",
            Some(&serde_json::json!({})),
        )
        .await;
    bad_id.problem(400);
}

#[actix_web::test]
async fn a_sane_client_request_id_is_echoed_and_a_hostile_one_replaced() {
    let app = TestApp::spawn().await;
    let req = app
        .request(Method::GET, "/health")
        .insert_header(("x-request-id", "abc-123"));
    assert_eq!(
        app.send(req, None).await.header("x-request-id"),
        Some("abc-123")
    );
    let req = app
        .request(Method::GET, "/health")
        .insert_header(("x-request-id", "a b <script>"));
    let id = app
        .send(req, None)
        .await
        .header("x-request-id")
        .unwrap()
        .to_owned();
    assert_ne!(id, "a b <script>");
    assert!(uuid::Uuid::parse_str(&id).is_ok());
}

#[actix_web::test]
async fn responses_carry_nosniff() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/health").await.header("x-content-type-options"),
        Some("nosniff")
    );
}
