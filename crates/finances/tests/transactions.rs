//! Transactions over HTTP against a real database: create, read, patch,
//! delete, list with filters and keyset pages, money parsing, ownership.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use common::*;
use serde_json::{Value, json};
use std::collections::HashSet;
use testkit::TestApp;

#[actix_web::test]
async fn a_created_transaction_has_a_location_and_reads_back() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let res = post_tx(
        &app,
        &user,
        &json!({"kind": "expense", "amount": "1234.5", "occurred_on": "2026-11-25",
                "category": "Groceries", "description": "Weekly shop", "external_id": "bank-1"}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let body = res.json();
    let id = body["id"].as_str().unwrap();
    assert_eq!(res.header("location"), Some(format!("{TX}/{id}").as_str()));
    assert_eq!(body["amount"], "1234.50");
    assert_eq!(body["kind"], "expense");
    assert_eq!(body["occurred_on"], "2026-11-25");
    assert_eq!(body["category"], "Groceries");
    assert_eq!(body["external_id"], "bank-1");
    let got = app.get_as(&user, &format!("{TX}/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json(), body);
    // The category was created on the fly, and is matched ignoring case next time.
    let again = create_tx(&app, &user, json!({"kind": "income", "amount": "1", "occurred_on": "2026-11-25", "category": "GROCERIES"})).await;
    assert_eq!(again["category"], "Groceries");
    let cats = app
        .get_as(&user, "/api/v1/finances/categories")
        .await
        .json();
    assert_eq!(cats["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn amounts_are_decimal_strings_and_bad_ones_name_the_field() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    for bad in [
        json!(12.5),
        json!(12),
        json!("12.345"),
        json!("-5"),
        json!("0"),
        json!("0.00"),
        json!("NaN"),
        json!("1e3"),
        json!("1000000000000"),
        json!(" 1"),
        json!("1,50"),
        json!(true),
    ] {
        let res = post_tx(
            &app,
            &user,
            &json!({"kind": "expense", "amount": bad, "occurred_on": "2026-11-25"}),
        )
        .await;
        let problem = res.problem(422);
        assert_eq!(fields(&problem), ["amount"], "{bad}: {problem}");
    }
    let res = post_tx(&app, &user, &json!({"kind": "spend", "amount": 3, "occurred_on": "2026-02-30", "description": "x".repeat(1001), "category": " "})).await;
    let problem = res.problem(422);
    assert_eq!(
        fields(&problem),
        ["kind", "amount", "occurred_on", "category", "description"]
    );
    let problem = post_tx(&app, &user, &json!({})).await.problem(422);
    assert_eq!(fields(&problem), ["kind", "amount", "occurred_on"]);
    post_tx(&app, &user, &json!({"kind": "expense", "amount": "1", "occurred_on": "2026-11-25", "user_id": user.user_id}))
        .await
        .problem(422);
    post_tx(&app, &user, &json!([1, 2])).await.problem(422);
    let raw = app
        .send(
            app.request_as(&user.access_token, Method::POST, TX)
                .insert_header(("content-type", "application/json")),
            Some(b"{\"kind\":".to_vec()),
        )
        .await;
    raw.problem(400);
    let largest = create_tx(&app, &user, expense("999999999999.99", "2026-11-25")).await;
    assert_eq!(largest["amount"], "999999999999.99");
    let all = all_pages(&app, &user, TX).await;
    assert_eq!(all.len(), 1, "nothing invalid was stored");
}

#[actix_web::test]
async fn external_ids_are_unique_per_user() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    let mut body = expense("10", "2026-11-01");
    body["external_id"] = json!("abc");
    create_tx(&app, &user, body.clone()).await;
    post_tx(&app, &user, &body).await.problem(409);
    create_tx(&app, &other, body).await;
}

#[actix_web::test]
async fn a_patch_changes_only_what_it_names_and_null_clears() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let t = create_tx(&app, &user, json!({"kind": "expense", "amount": "10.00", "occurred_on": "2026-11-01", "category": "Food", "description": "lunch", "external_id": "x1"})).await;
    let url = format!("{TX}/{}", t["id"].as_str().unwrap());
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            &url,
            Some(&json!({"amount": "11.5", "category": "Eating out"})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let p = res.json();
    assert_eq!(p["amount"], "11.50");
    assert_eq!(p["category"], "Eating out");
    assert_eq!(p["description"], "lunch");
    assert_eq!(p["kind"], "expense");
    assert_ne!(p["updated_at"], t["updated_at"]);
    let res = app
        .call_as(
            &user,
            Method::PATCH,
            &url,
            Some(&json!({"category": null, "description": null, "external_id": null})),
        )
        .await;
    let p = res.json();
    assert_eq!(
        (
            p["category"].clone(),
            p["description"].clone(),
            p["external_id"].clone()
        ),
        (Value::Null, Value::Null, Value::Null)
    );
    let problem = app
        .call_as(
            &user,
            Method::PATCH,
            &url,
            Some(&json!({"amount": null, "kind": "x", "occurred_on": 5})),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["occurred_on"], "type errors first");
    let problem = app
        .call_as(
            &user,
            Method::PATCH,
            &url,
            Some(&json!({"amount": null, "kind": "x"})),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["amount", "kind"]);
    app.call_as(&user, Method::PATCH, &url, Some(&json!({"id": "x"})))
        .await
        .problem(422);
    assert_eq!(
        app.get_as(&user, &url).await.json(),
        p,
        "failed patches changed nothing"
    );
    let res = app.call_as(&user, Method::DELETE, &url, None).await;
    assert_eq!(res.status, 204);
    app.get_as(&user, &url).await.problem(404);
    app.call_as(&user, Method::DELETE, &url, None)
        .await
        .problem(404);
    app.get_as(&user, &format!("{TX}/not-a-uuid"))
        .await
        .problem(400);
}

#[actix_web::test]
async fn another_user_sees_nothing_of_mine() {
    let app = TestApp::spawn().await;
    let me = app.register_user().await;
    let other = app.register_user().await;
    let t = create_tx(
        &app,
        &me,
        json!({"kind": "expense", "amount": "50", "occurred_on": "2026-11-10", "category": "Rent"}),
    )
    .await;
    let url = format!("{TX}/{}", t["id"].as_str().unwrap());
    app.get_as(&other, &url).await.problem(404);
    app.call_as(&other, Method::PATCH, &url, Some(&json!({"amount": "1"})))
        .await
        .problem(404);
    app.call_as(&other, Method::DELETE, &url, None)
        .await
        .problem(404);
    assert!(all_pages(&app, &other, TX).await.is_empty());
    assert!(
        all_pages(&app, &other, &format!("{TX}?category=Rent"))
            .await
            .is_empty()
    );
    let summary = app
        .get_as(&other, "/api/v1/finances/summary?month=2026-11")
        .await
        .json();
    assert_eq!(summary["expense"], "0.00");
    assert_eq!(summary["by_category"], json!([]));
    let cats = app.get_as(&me, "/api/v1/finances/categories").await.json();
    let cat_url = format!(
        "/api/v1/finances/categories/{}",
        cats["items"][0]["id"].as_str().unwrap()
    );
    app.get_as(&other, &cat_url).await.problem(404);
    app.call_as(
        &other,
        Method::PATCH,
        &cat_url,
        Some(&json!({"name": "Mine"})),
    )
    .await
    .problem(404);
    app.call_as(&other, Method::DELETE, &cat_url, None)
        .await
        .problem(404);
    assert!(
        all_pages(&app, &other, "/api/v1/finances/categories")
            .await
            .is_empty()
    );
    // Reassigning someone else's transactions into my category is impossible too.
    let mine = app
        .call_as(
            &other,
            Method::POST,
            "/api/v1/finances/categories",
            Some(&json!({"name": "Other"})),
        )
        .await
        .json();
    let res = app
        .call_as(
            &other,
            Method::DELETE,
            &format!(
                "/api/v1/finances/categories/{}?reassign_to={}",
                mine["id"].as_str().unwrap(),
                cats["items"][0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    res.problem(422);
    let export = app
        .send(
            app.request_as(&other.access_token, Method::GET, &format!("{TX}/export")),
            None,
        )
        .await;
    assert_eq!(export.text().lines().count(), 1, "only the header");
    assert_eq!(app.get_as(&me, &url).await.status, 200, "untouched");
}

#[actix_web::test]
async fn filters_combine() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let rows = [
        (
            "expense",
            "10.00",
            "2026-10-31",
            Some("Food"),
            "Pizza night",
        ),
        (
            "expense",
            "25.50",
            "2026-11-01",
            Some("food"),
            "Supermarket 50% off",
        ),
        ("income", "3000", "2026-11-05", None, "Salary"),
        (
            "expense",
            "99.99",
            "2026-11-20",
            Some("Fun"),
            "concert PIZZA after",
        ),
        ("expense", "5", "2026-12-01", Some("Food"), "coffee"),
    ];
    for (kind, amount, day, cat, desc) in rows {
        create_tx(&app, &user, json!({"kind": kind, "amount": amount, "occurred_on": day, "category": cat, "description": desc})).await;
    }
    let amounts = |items: Vec<Value>| {
        items
            .iter()
            .map(|t| t["amount"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        amounts(all_pages(&app, &user, TX).await),
        ["5.00", "99.99", "3000.00", "25.50", "10.00"]
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?from=2026-11-01&to=2026-11-30")).await),
        ["99.99", "3000.00", "25.50"]
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?kind=income")).await),
        ["3000.00"]
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?category=FOOD")).await),
        ["5.00", "25.50", "10.00"]
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?q=pizza")).await),
        ["99.99", "10.00"]
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?q=50%25")).await),
        ["25.50"],
        "wildcards are literal"
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?q=_")).await),
        Vec::<String>::new()
    );
    assert_eq!(
        amounts(all_pages(&app, &user, &format!("{TX}?min_amount=10&max_amount=99.99")).await),
        ["99.99", "25.50", "10.00"]
    );
    assert_eq!(
        amounts(
            all_pages(
                &app,
                &user,
                &format!("{TX}?kind=expense&category=food&from=2026-11-01&max_amount=30&q=SUPER")
            )
            .await
        ),
        ["25.50"]
    );
    assert!(
        all_pages(&app, &user, &format!("{TX}?category=Nope"))
            .await
            .is_empty()
    );
    let problem = app
        .get_as(
            &user,
            &format!("{TX}?from=2026-11-30&to=2026-11-01&kind=x&min_amount=5&max_amount=1&limit=0"),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["limit"]);
    let problem = app
        .get_as(
            &user,
            &format!("{TX}?from=2026-11-30&to=2026-11-01&kind=x&min_amount=5&max_amount=1"),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["to", "kind", "max_amount"]);
    app.get_as(&user, &format!("{TX}?cursor=garbage"))
        .await
        .problem(400);
    app.get_as(&user, &format!("{TX}?unknown=1"))
        .await
        .problem(400);
}

#[actix_web::test]
async fn pages_return_every_row_exactly_once_under_concurrent_inserts() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let mut csv = String::from("occurred_on,kind,amount,category,description\n");
    for i in 0..240 {
        // Many rows share a day, so the id breaks ties.
        csv.push_str(&format!(
            "2026-{:02}-{:02},expense,{}.00,,seed {i}\n",
            1 + i % 12,
            1 + i % 5,
            i + 1
        ));
    }
    let res = import(&app, &user, &csv, "").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let seeded: HashSet<String> = all_pages(&app, &user, TX)
        .await
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seeded.len(), 240);

    let reader = async {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{TX}?limit=7&cursor={c}"),
                None => format!("{TX}?limit=7"),
            };
            let page = app.get_as(&user, &url).await.json();
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["id"].as_str().unwrap().to_owned()),
            );
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return seen,
            }
        }
    };
    let writer = async {
        for i in 0..40 {
            let day = format!("2026-{:02}-03", 1 + (i * 5) % 12);
            create_tx(&app, &user, expense("1", &day)).await;
        }
    };
    let (seen, ()) = tokio::join!(reader, writer);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no row twice");
    for id in &seeded {
        assert!(unique.contains(id), "seeded row {id} missing");
    }
    assert_eq!(all_pages(&app, &user, TX).await.len(), 280);
}
