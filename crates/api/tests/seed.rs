//! `my-agent seed`: the data it loads satisfies every module (each endpoint
//! reads it back), the token file works, seeded users can log in, and
//! production refuses it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use actix_web::http::Method;
use api::Settings;
use api::seed::{SEED_PASSWORD, SeedOptions, seed, seed_user_id};
use serde_json::{Value, json};
use testkit::TestApp;

fn settings(url: &str, production: bool) -> Settings {
    let mut vars = std::collections::HashMap::from([("DATABASE_URL".to_owned(), url.to_owned())]);
    if production {
        vars.insert("APP__ENVIRONMENT".into(), "production".into());
    }
    Settings::from_vars(vars).unwrap()
}

fn options(out: std::path::PathBuf) -> SeedOptions {
    SeedOptions {
        users: 3,
        first_user: 1,
        transactions_per_user: 400,
        reminders_per_user: 30,
        events_per_user: 40,
        out: Some(out),
    }
}

#[actix_web::test]
async fn seeded_data_is_served_by_every_module() {
    let app = TestApp::spawn().await;
    let out = std::env::temp_dir().join(format!("seed-test-{}.tsv", uuid::Uuid::new_v4()));
    seed(&settings(app.db().url(), false), &options(out.clone()))
        .await
        .unwrap();

    let lines: Vec<Vec<String>> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect();
    std::fs::remove_file(&out).unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1][0], "2");
    assert_eq!(lines[1][1], seed_user_id(2).to_string());
    for (table, rows) in [
        ("finances.transactions", 400),
        ("finances.categories", 12),
        ("finances.budgets", 60),
        ("reminders.reminders", 30),
        ("calendar.events", 40),
        ("users.profiles", 1),
        ("auth.credentials", 1),
    ] {
        assert_eq!(
            app.db().rows_of(table, seed_user_id(3)).await,
            rows,
            "{table}"
        );
    }

    let token = lines[0][3].as_str();
    let get = |path: &'static str| app.call_with_token(token, Method::GET, path, None);
    let page = get("/api/v1/finances/transactions?limit=200").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let items = page.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 200);
    let kinds: Vec<&str> = items.iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"expense") && kinds.contains(&"income"));
    let oldest = items.last().unwrap()["occurred_on"]
        .as_str()
        .unwrap()
        .to_owned();
    let today = chrono::Utc::now().date_naive().to_string();
    assert!(oldest.as_str() <= today.as_str(), "{oldest}");
    for path in [
        "/api/v1/users/me",
        "/api/v1/finances/summary",
        "/api/v1/finances/budgets",
        "/api/v1/finances/categories",
        "/api/v1/reminders?limit=200",
        "/api/v1/dashboard",
    ] {
        let res = get(path).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text());
    }
    let reminders = get("/api/v1/reminders?limit=200").await.json();
    let recurring = reminders["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rrule"] != Value::Null)
        .count();
    assert!(recurring > 0 && recurring < 30, "{recurring} recurring");
    // Events span two years back and one ahead: the last half year has some.
    let now = chrono::Utc::now();
    let window = format!(
        "/api/v1/calendar/events?from={}&to={}",
        (now - chrono::Duration::days(180)).format("%Y-%m-%dT00:00:00Z"),
        now.format("%Y-%m-%dT00:00:00Z")
    );
    let events = app.call_with_token(token, Method::GET, &window, None).await;
    assert_eq!(events.status, 200, "{}", events.text());
    assert!(!events.json()["items"].as_array().unwrap().is_empty());

    let login = app
        .json(
            Method::POST,
            "/api/v1/auth/login",
            &json!({"email": lines[2][2], "password": SEED_PASSWORD}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
}

#[actix_web::test]
async fn production_refuses_to_seed() {
    let app = TestApp::spawn().await;
    let out = std::env::temp_dir().join(format!("seed-test-{}.tsv", uuid::Uuid::new_v4()));
    let err = seed(&settings(app.db().url(), true), &options(out.clone()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("development only"), "{err}");
    assert!(!out.exists());
    assert_eq!(
        app.db()
            .rows_of("finances.transactions", seed_user_id(1))
            .await,
        0
    );
}
