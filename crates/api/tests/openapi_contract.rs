//! The published contract: the OpenAPI document the server serves is the one
//! committed in `docs/openapi.json`. A route, parameter or schema change
//! fails here until the document is regenerated on purpose with
//! `make openapi` (which runs this test with `UPDATE_OPENAPI=1`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use testkit::TestApp;

#[actix_web::test]
async fn the_served_document_is_the_committed_one() {
    let app = TestApp::spawn().await;
    let served = app.get("/api/v1/openapi.json").await.json();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let pretty = format!("{}\n", serde_json::to_string_pretty(&served).unwrap());
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &pretty).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} unreadable ({e}); run `make openapi`", path.display()));
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert!(
        committed == served,
        "the served OpenAPI document differs from docs/openapi.json; review the change and run `make openapi`"
    );
}

#[actix_web::test]
async fn every_operation_is_documented_with_its_errors() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses
                    .keys()
                    .any(|s| s.starts_with('2') || s.starts_with('3')),
                "{method} {path}: no success response"
            );
            let secured = op.get("security").is_some();
            if secured {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path}: bearer-secured without a 401"
                );
            }
            let has_body = op.get("requestBody").is_some();
            let mut expected: Vec<&str> = if has_body {
                vec!["400", "413", "415"]
            } else {
                vec![]
            };
            if path.starts_with("/api/") {
                expected.push("503");
            }
            for status in expected {
                assert!(
                    responses.contains_key(status),
                    "{method} {path}: the plumbing can answer {status}, the document must say so"
                );
            }
            for (status, response) in responses {
                let response = match response["$ref"].as_str() {
                    Some(reference) => {
                        let name = reference.trim_start_matches("#/components/responses/");
                        &doc["components"]["responses"][name]
                    }
                    None => response,
                };
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status}: errors are problem+json"
                    );
                }
            }
        }
    }
    assert!(operations >= 50, "only {operations} operations documented");
}
