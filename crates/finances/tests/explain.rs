//! RULES R10: with 200,000 transactions of one user, the list (plain, filtered,
//! deep pages), the summary and the budgets' spending use indexes: no
//! sequential scan on `finances.transactions`. The statements EXPLAINed are the
//! repositories' own (same SQL builder, same binds).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use diesel::QueryableByName;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::RunQueryDsl;
use finances::application::ListFilter;
use finances::domain::{DateRange, Kind, Money, Month, SearchText};
use finances::infra::explain::{explain_list, explain_spent, explain_summary};
use kernel::UserId;
use kernel::pagination::PageRequest;
use std::time::Instant;
use testkit::TestApp;
use uuid::Uuid;

const SEED: &str = "
INSERT INTO finances.categories (id, user_id, name, name_key, created_at, updated_at)
SELECT gen_random_uuid(), $1, 'Category ' || g, 'category ' || g, now(), now()
FROM generate_series(1, 20) g;
";

const SEED_TRANSACTIONS: &str = "
INSERT INTO finances.transactions
    (id, user_id, kind, amount, occurred_on, category_id, description, external_id, created_at, updated_at)
SELECT gen_random_uuid(), $1,
       CASE WHEN g % 5 = 0 THEN 'income' ELSE 'expense' END,
       ((g * 7919) % 100000 + 1) / 100.0,
       DATE '2020-01-01' + (g % 2190),
       (ARRAY(SELECT id FROM finances.categories WHERE user_id = $1 ORDER BY name_key))[1 + g % 20],
       'purchase number ' || g,
       CASE WHEN g % 3 = 0 THEN 'ext-' || g END,
       now(), now()
FROM generate_series(1, $2) g;
";

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

fn assert_indexed(what: &str, plan: &str) {
    assert!(
        !plan.contains("Seq Scan on transactions"),
        "{what} scans the whole table:\n{plan}"
    );
    assert!(plan.contains("Index"), "{what} uses no index:\n{plan}");
}

#[actix_web::test]
async fn hot_queries_use_indexes_on_a_large_table() {
    let app = TestApp::spawn().await;
    let user = UserId::from_uuid(Uuid::now_v7());
    let neighbour = UserId::from_uuid(Uuid::now_v7());
    let started = Instant::now();
    let mut conn = app.db().connect().await;
    for (who, rows) in [(user, 200_000), (neighbour, 20_000)] {
        diesel::sql_query(SEED)
            .bind::<SqlUuid, _>(who.as_uuid())
            .execute(&mut conn)
            .await
            .unwrap();
        diesel::sql_query(SEED_TRANSACTIONS)
            .bind::<SqlUuid, _>(who.as_uuid())
            .bind::<diesel::sql_types::Integer, _>(rows)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    diesel::sql_query("VACUUM ANALYZE finances.transactions")
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::sql_query("ANALYZE finances.categories")
        .execute(&mut conn)
        .await
        .unwrap();
    let category: Uuid = diesel::sql_query(
        "SELECT id FROM finances.categories WHERE user_id = $1 ORDER BY name_key LIMIT 1",
    )
    .bind::<SqlUuid, _>(user.as_uuid())
    .get_result::<Id>(&mut conn)
    .await
    .unwrap()
    .id;
    eprintln!("seeded in {:?}", started.elapsed());

    let pool = app.pool();
    let first = PageRequest {
        limit: 50,
        after: None,
    };
    let deep = PageRequest {
        limit: 50,
        after: Some((NaiveDate::from_ymd_opt(2021, 6, 1).unwrap(), Uuid::max())),
    };
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let money = |s: &str| Some(Money::parse(s).unwrap());
    let filters = [
        ("list", ListFilter::default()),
        (
            "list by kind",
            ListFilter {
                kind: Some(Kind::Income),
                ..Default::default()
            },
        ),
        (
            "list by category",
            ListFilter {
                category_id: Some(category),
                ..Default::default()
            },
        ),
        (
            "list by dates",
            ListFilter {
                from: Some(d("2023-03-01")),
                to: Some(d("2023-03-31")),
                ..Default::default()
            },
        ),
        (
            "list by text",
            ListFilter {
                description_like: Some(SearchText::parse("number 12").unwrap().like_pattern()),
                ..Default::default()
            },
        ),
        (
            "list by amount",
            ListFilter {
                min_amount: money("10"),
                max_amount: money("20"),
                ..Default::default()
            },
        ),
        (
            "list with every filter",
            ListFilter {
                from: Some(d("2022-01-01")),
                to: Some(d("2023-12-31")),
                kind: Some(Kind::Expense),
                category_id: Some(category),
                description_like: Some(SearchText::parse("NUMBER").unwrap().like_pattern()),
                min_amount: money("1"),
                max_amount: money("900"),
            },
        ),
    ];
    for (what, filter) in &filters {
        for (page_name, page) in [("first page", &first), ("deep page", &deep)] {
            let plan = explain_list(pool, user, filter, page).await.unwrap();
            eprintln!("-- {what}, {page_name}\n{plan}");
            assert_indexed(&format!("{what}, {page_name}"), &plan);
        }
    }
    let month = Month::parse("2023-03").unwrap().range();
    let quarter = DateRange::new(d("2023-01-01"), d("2023-03-31")).unwrap();
    for (what, range) in [
        ("summary of a month", month),
        ("summary of a quarter", quarter),
    ] {
        let plan = explain_summary(pool, user, range).await.unwrap();
        eprintln!("-- {what}\n{plan}");
        assert_indexed(what, &plan);
    }
    let plan = explain_spent(pool, user, month, &[category]).await.unwrap();
    assert_indexed("budget spending", &plan);
    eprintln!("done in {:?}", started.elapsed());
}
