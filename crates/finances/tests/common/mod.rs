//! Helpers shared by the finances integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse, TestUser};

pub const TX: &str = "/api/v1/finances/transactions";

/// `POST /transactions` as `user`.
pub async fn post_tx(app: &TestApp, user: &TestUser, body: &Value) -> TestResponse {
    app.call_as(user, Method::POST, TX, Some(body)).await
}

/// Creates a transaction and returns its JSON.
pub async fn create_tx(app: &TestApp, user: &TestUser, body: Value) -> Value {
    let res = post_tx(app, user, &body).await;
    assert_eq!(res.status, 201, "{}", res.text());
    res.json()
}

/// A simple expense.
pub fn expense(amount: &str, day: &str) -> Value {
    json!({"kind": "expense", "amount": amount, "occurred_on": day})
}

/// `POST /transactions/import` with a CSV body.
pub async fn import(app: &TestApp, user: &TestUser, csv: &str, query: &str) -> TestResponse {
    let req = app
        .request_as(
            &user.access_token,
            Method::POST,
            &format!("{TX}/import{query}"),
        )
        .insert_header(("content-type", "text/csv"));
    app.send(req, Some(csv.as_bytes().to_vec())).await
}

/// Every item of a paginated list, following cursors.
pub async fn all_pages(app: &TestApp, user: &TestUser, path: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit=200&cursor={c}"),
            None => format!("{path}{sep}limit=200"),
        };
        let res = app.get_as(user, &url).await;
        assert_eq!(res.status, 200, "{}", res.text());
        let page = res.json();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

/// The field names of a 422's `errors`.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Integer cents of a decimal string with two decimals.
pub fn cents(s: &str) -> i128 {
    let (int, frac) = s.split_once('.').unwrap();
    assert_eq!(frac.len(), 2, "{s}");
    let sign = if int.starts_with('-') { -1 } else { 1 };
    let int: i128 = int.trim_start_matches('-').parse().unwrap();
    sign * (int * 100 + frac.parse::<i128>().unwrap())
}

/// A decimal string of integer cents.
pub fn money(c: i128) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}
