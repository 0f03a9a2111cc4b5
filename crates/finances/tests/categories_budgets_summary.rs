//! Categories, budgets and summaries over HTTP against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use chrono::{TimeZone as _, Utc};
use common::*;
use kernel::FixedClock;
use rand::Rng as _;
use serde_json::json;
use std::collections::BTreeMap;
use testkit::TestApp;

const CATS: &str = "/api/v1/finances/categories";

#[actix_web::test]
async fn categories_are_unique_ignoring_case_and_renames_keep_transactions() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let res = app
        .call_as(&user, Method::POST, CATS, Some(&json!({"name": " Food "})))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let food = res.json();
    assert_eq!(food["name"], "Food");
    let url = format!("{CATS}/{}", food["id"].as_str().unwrap());
    assert_eq!(res.header("location"), Some(url.as_str()));
    app.call_as(&user, Method::POST, CATS, Some(&json!({"name": "FOOD"})))
        .await
        .problem(409);
    let problem = app
        .call_as(&user, Method::POST, CATS, Some(&json!({"name": ""})))
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["name"]);
    app.call_as(&user, Method::POST, CATS, Some(&json!({"name": 5})))
        .await
        .problem(422);
    let t = create_tx(
        &app,
        &user,
        json!({"kind": "expense", "amount": "3", "occurred_on": "2026-11-02", "category": "food"}),
    )
    .await;
    assert_eq!(t["category"], "Food");

    let bills = app
        .call_as(&user, Method::POST, CATS, Some(&json!({"name": "Bills"})))
        .await
        .json();
    app.call_as(&user, Method::PATCH, &url, Some(&json!({"name": "bills"})))
        .await
        .problem(409);
    for nameless in [json!({}), json!({"name": null})] {
        app.call_as(&user, Method::PATCH, &url, Some(&nameless))
            .await
            .problem(422);
    }
    let renamed = app
        .call_as(
            &user,
            Method::PATCH,
            &url,
            Some(&json!({"name": "Groceries"})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let again = app
        .call_as(
            &user,
            Method::PATCH,
            &url,
            Some(&json!({"name": "GROCERIES"})),
        )
        .await;
    assert_eq!(
        again.json()["name"],
        "GROCERIES",
        "a case change of its own name is fine"
    );
    let t_url = format!("{TX}/{}", t["id"].as_str().unwrap());
    assert_eq!(
        app.get_as(&user, &t_url).await.json()["category"],
        "GROCERIES"
    );
    let names: Vec<String> = all_pages(&app, &user, CATS)
        .await
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Bills", "GROCERIES"]);

    // Deleting a used category is refused, unless its transactions move.
    app.call_as(&user, Method::DELETE, &url, None)
        .await
        .problem(409);
    app.call_as(
        &user,
        Method::DELETE,
        &format!("{url}?reassign_to=nope"),
        None,
    )
    .await
    .problem(422);
    app.call_as(
        &user,
        Method::DELETE,
        &format!("{url}?reassign_to={}", food["id"].as_str().unwrap()),
        None,
    )
    .await
    .problem(422);
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            &format!("{url}?reassign_to={}", bills["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    assert_eq!(app.get_as(&user, &t_url).await.json()["category"], "Bills");
    app.get_as(&user, &url).await.problem(404);
    // An unused category just goes.
    let spare = app
        .call_as(&user, Method::POST, CATS, Some(&json!({"name": "Spare"})))
        .await
        .json();
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            &format!("{CATS}/{}", spare["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(res.status, 204);
}

#[actix_web::test]
async fn category_pages_walk_in_name_order() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    for i in (0..25).rev() {
        let res = app
            .call_as(
                &user,
                Method::POST,
                CATS,
                Some(&json!({"name": format!("Cat {i:02}")})),
            )
            .await;
        assert_eq!(res.status, 201);
    }
    let mut names = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get_as(&user, &format!("{CATS}?limit=10&cursor={cursor}"))
            .await
            .json();
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    let expected: Vec<String> = (0..25).map(|i| format!("Cat {i:02}")).collect();
    assert_eq!(names, expected);
}

#[actix_web::test]
async fn summaries_are_exact_over_random_data() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    let mut rng = rand::rng();
    let categories = [
        Some("Food"),
        Some("Rent"),
        Some("Fun"),
        Some("Salary"),
        None,
    ];
    // expected[(category, kind)] = cents, for November 2026 only.
    let mut expected: BTreeMap<(Option<&str>, &str), i128> = BTreeMap::new();
    let mut csv = String::from("occurred_on,kind,amount,category,description\n");
    for _ in 0..400 {
        let month = rng.random_range(10..=12);
        let day = rng.random_range(1..=28);
        let kind = if rng.random_bool(0.3) {
            "income"
        } else {
            "expense"
        };
        let c: i128 = rng.random_range(1..=99_999_999_999_999);
        let cat = categories[rng.random_range(0..categories.len())];
        csv.push_str(&format!(
            "2026-{month:02}-{day:02},{kind},{},{},\n",
            money(c),
            cat.unwrap_or("")
        ));
        if month == 11 {
            *expected.entry((cat, kind)).or_default() += c;
        }
    }
    // The other user's rows must not leak into my totals.
    import(
        &app,
        &other,
        "occurred_on,kind,amount,category,description\n2026-11-10,expense,777.77,Food,\n",
        "",
    )
    .await;
    let res = import(&app, &user, &csv, "").await;
    assert_eq!(res.status, 200, "{}", res.text());

    let s = app
        .get_as(&user, "/api/v1/finances/summary?month=2026-11")
        .await
        .json();
    let income: i128 = expected
        .iter()
        .filter(|((_, k), _)| *k == "income")
        .map(|(_, v)| v)
        .sum();
    let expense: i128 = expected
        .iter()
        .filter(|((_, k), _)| *k == "expense")
        .map(|(_, v)| v)
        .sum();
    assert_eq!(s["from"], "2026-11-01");
    assert_eq!(s["to"], "2026-11-30");
    assert_eq!(s["income"], money(income));
    assert_eq!(s["expense"], money(expense));
    assert_eq!(s["balance"], money(income - expense));
    for entry in s["by_category"].as_array().unwrap() {
        let cat = entry["category"].as_str();
        assert_eq!(
            cents(entry["income"].as_str().unwrap()),
            expected.get(&(cat, "income")).copied().unwrap_or(0),
            "{cat:?}"
        );
        assert_eq!(
            cents(entry["expense"].as_str().unwrap()),
            expected.get(&(cat, "expense")).copied().unwrap_or(0),
            "{cat:?}"
        );
    }
    let listed: std::collections::BTreeSet<Option<&str>> = s["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["category"].as_str())
        .collect();
    let wanted: std::collections::BTreeSet<Option<&str>> =
        expected.keys().map(|(c, _)| *c).collect();
    assert_eq!(listed, wanted);

    // A range across months adds up the same way.
    let q4 = app
        .get_as(
            &user,
            "/api/v1/finances/summary?from=2026-10-01&to=2026-12-31",
        )
        .await
        .json();
    let all = all_pages(&app, &user, TX).await;
    let sum = |kind: &str| {
        all.iter()
            .filter(|t| t["kind"] == kind)
            .map(|t| cents(t["amount"].as_str().unwrap()))
            .sum::<i128>()
    };
    assert_eq!(q4["income"], money(sum("income")));
    assert_eq!(q4["expense"], money(sum("expense")));

    for bad in [
        "month=2026-13",
        "month=2026-11&from=2026-11-01&to=2026-11-02",
        "from=2026-11-01",
        "from=2026-11-02&to=2026-11-01",
    ] {
        app.get_as(&user, &format!("/api/v1/finances/summary?{bad}"))
            .await
            .problem(422);
    }
}

#[actix_web::test]
async fn the_default_month_is_the_users_current_month_in_their_zone() {
    // 02:00 UTC on 1 December is still 30 November in São Paulo (UTC-3).
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap());
    let app = TestApp::builder().clock(clock).spawn().await;
    let paulista = app
        .register_with(json!({"timezone": "America/Sao_Paulo"}))
        .await;
    let londoner = app
        .register_with(json!({"timezone": "Europe/London"}))
        .await;
    for user in [&paulista, &londoner] {
        create_tx(&app, user, expense("10", "2026-11-30")).await;
        create_tx(&app, user, expense("1", "2026-12-01")).await;
    }
    let s = app
        .get_as(&paulista, "/api/v1/finances/summary")
        .await
        .json();
    assert_eq!(
        (s["from"].as_str(), s["expense"].as_str()),
        (Some("2026-11-01"), Some("10.00"))
    );
    let s = app
        .get_as(&londoner, "/api/v1/finances/summary")
        .await
        .json();
    assert_eq!(
        (s["from"].as_str(), s["expense"].as_str()),
        (Some("2026-12-01"), Some("1.00"))
    );
    app.call_as(
        &paulista,
        Method::PUT,
        "/api/v1/finances/budgets/Food",
        Some(&json!({"month": "2026-11", "limit": "20"})),
    )
    .await;
    let budgets = app
        .get_as(&paulista, "/api/v1/finances/budgets")
        .await
        .json();
    assert_eq!(budgets["month"], "2026-11");
    assert_eq!(budgets["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn budgets_report_spent_remaining_and_percent() {
    let app = TestApp::spawn().await;
    let user = app.register_user().await;
    let other = app.register_user().await;
    for (amount, day, cat, kind) in [
        ("100.10", "2026-11-03", "Food", "expense"),
        ("50.00", "2026-11-30", "food", "expense"),
        ("999", "2026-11-15", "Food", "income"),
        ("70", "2026-10-31", "Food", "expense"),
        ("30", "2026-11-10", "Fun", "expense"),
    ] {
        create_tx(
            &app,
            &user,
            json!({"kind": kind, "amount": amount, "occurred_on": day, "category": cat}),
        )
        .await;
    }
    create_tx(&app, &other, json!({"kind": "expense", "amount": "5000", "occurred_on": "2026-11-10", "category": "Food"})).await;
    let put = |cat: &str, body: serde_json::Value| {
        let app = &app;
        let user = &user;
        let path = format!("/api/v1/finances/budgets/{cat}");
        async move { app.call_as(user, Method::PUT, &path, Some(&body)).await }
    };
    let res = put("Food", json!({"month": "2026-11", "limit": "200"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let b = res.json();
    assert_eq!(
        (
            b["category"].as_str(),
            b["limit"].as_str(),
            b["spent"].as_str(),
            b["remaining"].as_str(),
            b["percent"].as_str()
        ),
        (
            Some("Food"),
            Some("200.00"),
            Some("150.10"),
            Some("49.90"),
            Some("75.05")
        )
    );
    // Replacing the limit keeps one budget.
    let b = put("FOOD", json!({"month": "2026-11", "limit": "100"}))
        .await
        .json();
    assert_eq!(
        (b["remaining"].as_str(), b["percent"].as_str()),
        (Some("-50.10"), Some("150.10"))
    );
    put("Fun", json!({"month": "2026-11", "limit": "90"})).await;
    put("Travel", json!({"month": "2026-11", "limit": "1000"})).await;
    put("Food", json!({"month": "2026-12", "limit": "1"})).await;
    let page = app
        .get_as(&user, "/api/v1/finances/budgets?month=2026-11")
        .await
        .json();
    let rows: Vec<(String, String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["category"].as_str().unwrap().to_owned(),
                b["spent"].as_str().unwrap().to_owned(),
                b["percent"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Food".into(), "150.10".into(), "150.10".into()),
            ("Fun".into(), "30.00".into(), "33.33".into()),
            ("Travel".into(), "0.00".into(), "0.00".into()),
        ]
    );
    let paged = app
        .get_as(&user, "/api/v1/finances/budgets?month=2026-11&limit=2")
        .await
        .json();
    assert_eq!(paged["items"].as_array().unwrap().len(), 2);
    let rest = app
        .get_as(
            &user,
            &format!(
                "/api/v1/finances/budgets?month=2026-11&limit=2&cursor={}",
                paged["next_cursor"].as_str().unwrap()
            ),
        )
        .await
        .json();
    assert_eq!(rest["items"][0]["category"], "Travel");
    assert!(rest["next_cursor"].is_null());

    let problem = put("Food", json!({"month": "2026-1", "limit": 5}))
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["month", "limit"]);
    let problem = put("Food", json!({})).await.problem(422);
    assert_eq!(fields(&problem), ["month", "limit"]);
    app.get_as(&user, "/api/v1/finances/budgets?month=nope")
        .await
        .problem(422);
    // The other user has no budgets, and mine count none of their spending.
    let theirs = app
        .get_as(&other, "/api/v1/finances/budgets?month=2026-11")
        .await
        .json();
    assert!(theirs["items"].as_array().unwrap().is_empty());
    app.call_as(
        &other,
        Method::DELETE,
        "/api/v1/finances/budgets/Fun?month=2026-11",
        None,
    )
    .await
    .problem(404);
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/finances/budgets/fun?month=2026-11",
            None,
        )
        .await;
    assert_eq!(res.status, 204);
    app.call_as(
        &user,
        Method::DELETE,
        "/api/v1/finances/budgets/fun?month=2026-11",
        None,
    )
    .await
    .problem(404);
    // Deleting a category takes its budgets with it.
    let travel = all_pages(&app, &user, CATS)
        .await
        .into_iter()
        .find(|c| c["name"] == "Travel")
        .unwrap();
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            &format!("{CATS}/{}", travel["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    let page = app
        .get_as(&user, "/api/v1/finances/budgets?month=2026-11")
        .await
        .json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}
