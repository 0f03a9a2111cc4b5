//! CSV import (all or nothing, line-numbered errors, skipped duplicates, dry
//! run, limits) and export over HTTP against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use common::*;
use serde_json::json;
use testkit::TestApp;

const HEAD: &str = "occurred_on,kind,amount,category,description,external_id\n";

#[actix_web::test]
async fn a_good_file_imports_and_a_second_import_skips_every_row() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    app.call_as(
        &user,
        Method::POST,
        "/api/v1/finances/categories",
        Some(&json!({"name": "Food"})),
    )
    .await;
    let csv = format!(
        "\u{feff}{HEAD}2026-11-01,expense,12.5,food,\"Lunch, with \"\"friends\"\"\",b-1\r\n\
         2026-11-02,income,1000,Salary,\"two\nlines\",b-2\r\n2026-11-03,expense,3,,,\r\n"
    );
    let res = import(&app, &user, &csv, "").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let r = res.json();
    assert_eq!(
        r,
        json!({"dry_run": false, "rows": 3, "imported": 3, "skipped": 0, "skipped_rows": [], "categories_created": ["Salary"]})
    );
    let all = all_pages(&app, &user, TX).await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[2]["description"], "Lunch, with \"friends\"");
    assert_eq!(all[2]["category"], "Food");
    assert_eq!(all[1]["description"], "two\nlines");

    let r = import(&app, &user, &csv, "").await.json();
    assert_eq!(
        r["imported"], 1,
        "the row without external_id is new each time"
    );
    assert_eq!(r["skipped"], 2);
    assert_eq!(
        r["skipped_rows"],
        json!([{"line": 2, "external_id": "b-1"}, {"line": 3, "external_id": "b-2"}])
    );
    assert_eq!(all_pages(&app, &user, TX).await.len(), 4);
}

#[actix_web::test]
async fn one_bad_row_writes_nothing_and_every_bad_row_is_listed() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let csv = format!(
        "{HEAD}2026-11-01,expense,10,Food,ok,a\n2026-11-31,expense,10,,,b\n2026-11-02,outgo,-1,,,c\n\
         2026-11-03,expense,1.999,,,d\n2026-11-04,expense,5,,,a\n2026-11-05,expense\n2026-11-06,income,7,New,,e\n"
    );
    let problem = import(&app, &user, &csv, "").await.problem(422);
    let errors: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let lines: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        lines,
        ["line 3", "line 4", "line 4", "line 5", "line 6", "line 7"],
        "{errors:?}"
    );
    assert!(errors[0].1.starts_with("occurred_on:"));
    assert!(errors[1].1.starts_with("kind:") && errors[2].1.starts_with("amount:"));
    assert!(errors[3].1.starts_with("amount:"));
    assert_eq!(errors[4].1, "external_id: repeats line 2");
    assert!(errors[5].1.contains("fields"));
    assert!(
        all_pages(&app, &user, TX).await.is_empty(),
        "nothing written"
    );
    assert!(
        all_pages(&app, &user, "/api/v1/finances/categories")
            .await
            .is_empty(),
        "no category either"
    );
}

#[actix_web::test]
async fn a_dry_run_reports_without_writing() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    import(
        &app,
        &user,
        &format!("{HEAD}2026-11-01,expense,1,,,x1\n"),
        "",
    )
    .await;
    let csv = format!("{HEAD}2026-11-01,expense,1,,,x1\n2026-11-02,expense,2,Cat,,x2\n");
    let res = import(&app, &user, &csv, "?dry_run=true").await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"dry_run": true, "rows": 2, "imported": 1, "skipped": 1,
        "skipped_rows": [{"line": 2, "external_id": "x1"}], "categories_created": ["Cat"]})
    );
    assert_eq!(all_pages(&app, &user, TX).await.len(), 1);
    assert!(
        all_pages(&app, &user, "/api/v1/finances/categories")
            .await
            .is_empty()
    );
    let bad = import(
        &app,
        &user,
        &format!("{HEAD}nope,expense,1,,,\n"),
        "?dry_run=true",
    )
    .await;
    assert_eq!(fields(&bad.problem(422)), ["line 2"]);
}

#[actix_web::test]
async fn limits_content_type_and_headers_are_checked() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    // Wrong content type.
    let res = app
        .send(
            app.request_as(&user.access_token, Method::POST, &format!("{TX}/import"))
                .insert_header(("content-type", "application/json")),
            Some(b"{}".to_vec()),
        )
        .await;
    res.problem(415);
    // Over 2 MiB.
    let mut big = String::from(HEAD);
    while big.len() <= 2 * 1024 * 1024 {
        big.push_str(
            "2026-11-01,expense,1.00,Some category,a fairly long description to fill the file,\n",
        );
    }
    import(&app, &user, &big, "").await.problem(413);
    // Over 10,000 rows (but under 2 MiB).
    let mut many = String::from("occurred_on,kind,amount,category,description\n");
    for _ in 0..10_001 {
        many.push_str("2026-11-01,expense,1,,\n");
    }
    import(&app, &user, &many, "").await.problem(413);
    // Exactly 10,000 rows import.
    let mut max = String::from("occurred_on,kind,amount,category,description\n");
    for i in 0..10_000 {
        max.push_str(&format!(
            "2026-11-{:02},expense,1,C{},\n",
            1 + i % 28,
            i % 3
        ));
    }
    let res = import(&app, &user, &max, "").await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["imported"], 10_000);
    // Headers.
    assert_eq!(
        fields(&import(&app, &user, "", "").await.problem(422)),
        ["line 1"]
    );
    assert_eq!(
        fields(&import(&app, &user, "date,amount\n", "").await.problem(422)),
        ["line 1"]
    );
    import(&app, &user, HEAD, "?dry_run=maybe")
        .await
        .problem(400);
    let empty = import(&app, &user, HEAD, "").await.json();
    assert_eq!(empty["rows"], 0);
}

#[actix_web::test]
async fn export_streams_the_filtered_list_and_imports_back() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let csv = format!(
        "{HEAD}2026-11-01,expense,12.50,Food,\"a, \"\"quoted\"\"\nline\",b-1\n2026-11-02,income,1000.00,Salary,,b-2\n\
         2026-10-02,expense,3.00,,,\n"
    );
    import(&app, &user, &csv, "").await;
    let res = app
        .send(
            app.request_as(
                &user.access_token,
                Method::GET,
                &format!("{TX}/export?from=2026-11-01"),
            ),
            None,
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").unwrap().starts_with("text/csv"));
    let text = res.text();
    assert_eq!(
        text,
        "occurred_on,kind,amount,category,description,external_id\n\
         2026-11-02,income,1000.00,Salary,,b-2\n\
         2026-11-01,expense,12.50,Food,\"a, \"\"quoted\"\"\nline\",b-1\n"
    );
    // Another user imports the export and gets the same rows.
    let other = app.register_user().await;
    let r = import(&app, &other, &text, "").await.json();
    assert_eq!(r["imported"], 2);
    let mine: Vec<_> = all_pages(&app, &user, &format!("{TX}?from=2026-11-01")).await;
    let theirs: Vec<_> = all_pages(&app, &other, TX).await;
    let strip = |v: &Vec<serde_json::Value>| {
        v.iter()
            .map(|t| {
                (
                    t["kind"].clone(),
                    t["amount"].clone(),
                    t["occurred_on"].clone(),
                    t["category"].clone(),
                    t["description"].clone(),
                    t["external_id"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&mine), strip(&theirs));
    // Many pages stream in order.
    let mut many = String::from(HEAD);
    for i in 0..1_234 {
        many.push_str(&format!(
            "2025-01-{:02},expense,{}.00,,,m{i}\n",
            1 + i % 28,
            i + 1
        ));
    }
    import(&app, &user, &many, "").await;
    let text = app
        .send(
            app.request_as(
                &user.access_token,
                Method::GET,
                &format!("{TX}/export?to=2025-12-31"),
            ),
            None,
        )
        .await
        .text();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(lines.len(), 1_234);
    let days: Vec<&str> = lines.iter().map(|l| &l[..10]).collect();
    let mut sorted = days.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, sorted, "newest first");
    app.send(
        app.request_as(
            &user.access_token,
            Method::GET,
            &format!("{TX}/export?kind=nope"),
        ),
        None,
    )
    .await
    .problem(422);
}

#[actix_web::test]
async fn every_route_is_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let paths = &doc["paths"];
    for (path, methods) in [
        ("/api/v1/finances/transactions", &["get", "post"][..]),
        (
            "/api/v1/finances/transactions/{id}",
            &["get", "patch", "delete"][..],
        ),
        ("/api/v1/finances/transactions/import", &["post"][..]),
        ("/api/v1/finances/transactions/export", &["get"][..]),
        ("/api/v1/finances/summary", &["get"][..]),
        ("/api/v1/finances/categories", &["get", "post"][..]),
        (
            "/api/v1/finances/categories/{id}",
            &["get", "patch", "delete"][..],
        ),
        ("/api/v1/finances/budgets", &["get"][..]),
        (
            "/api/v1/finances/budgets/{category}",
            &["put", "delete"][..],
        ),
    ] {
        for m in methods {
            assert!(
                paths[path][m].is_object(),
                "{m} {path} missing from the OpenAPI document"
            );
            assert_eq!(paths[path][m]["tags"][0], "finances");
        }
    }
}
