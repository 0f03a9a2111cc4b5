//! RULES R10: the hot reminder queries are index-backed on a large table.
//! 100,000 rows are seeded in one statement, the table is analyzed, and the
//! exact statements the repository runs (same SQL, same binds) are EXPLAINed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // tests may panic

mod common;

use common::utc;
use diesel_async::RunQueryDsl;
use kernel::UserId;
use kernel::pagination::PageRequest;
use reminders::application::ListFilter;
use reminders::domain::{Priority, Status};
use reminders::infra::{PgReminders, PlanQuery};
use testkit::TestApp;
use uuid::Uuid;

/// Owns half the table: the worst case for a `user_id` filter.
const HEAVY: &str = "00000000-0000-0000-0000-000000000001";
/// Owns about a hundred rows, like most users.
const LIGHT: &str = "00000000-0000-0000-0000-000000000002";

#[actix_web::test]
async fn hot_queries_use_indexes_on_100k_rows() {
    let started = std::time::Instant::now();
    let app = TestApp::spawn().await;
    let mut conn = app.db().connect().await;
    // Half the rows to HEAVY, ~100 to LIGHT, the rest over 499 other users;
    // a fifth pending; three priorities; due times over two years around now.
    diesel::sql_query(format!(
        "INSERT INTO reminders.reminders \
           (id, user_id, title, notes, due_at, priority, status, completed_at, \
            rrule, repeat_from, dtstart, scheduled_at, created_at, updated_at) \
         SELECT gen_random_uuid(), \
                CASE WHEN g % 2 = 0 THEN '{HEAVY}'::uuid \
                     WHEN g % 1000 = 1 THEN '{LIGHT}'::uuid \
                     ELSE ('00000000-0000-0000-0001-' || lpad((g % 499)::text, 12, '0'))::uuid END, \
                'reminder ' || g, NULL, \
                timestamptz '2026-01-01T00:00:00Z' + (g * interval '10 minutes'), \
                (ARRAY['low','normal','high'])[1 + g % 3], \
                CASE WHEN g % 5 = 0 THEN 'pending' ELSE 'done' END, \
                NULL, NULL, NULL, NULL, NULL, \
                timestamptz '2026-01-01T00:00:00Z', timestamptz '2026-01-01T00:00:00Z' \
         FROM generate_series(1, 100000) AS g"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query("ANALYZE reminders.reminders")
        .execute(&mut conn)
        .await
        .unwrap();

    let repo = PgReminders::new(app.pool().clone());
    let now = utc("2026-08-01T00:00:00Z");
    let page =
        |after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>| PageRequest { limit: 50, after };
    let cursor = Some((utc("2026-05-01T00:00:00Z"), Uuid::nil()));
    let cases: Vec<(&str, PlanQuery)> = vec![
        (
            "list",
            PlanQuery::List {
                filter: ListFilter::default(),
                page: page(None),
            },
        ),
        (
            "list, next page",
            PlanQuery::List {
                filter: ListFilter::default(),
                page: page(cursor),
            },
        ),
        (
            "list by status",
            PlanQuery::List {
                filter: ListFilter {
                    status: Some(Status::Pending),
                    ..Default::default()
                },
                page: page(cursor),
            },
        ),
        (
            "list by priority",
            PlanQuery::List {
                filter: ListFilter {
                    priority: Some(Priority::High),
                    ..Default::default()
                },
                page: page(None),
            },
        ),
        (
            "list by due range",
            PlanQuery::List {
                filter: ListFilter {
                    due_from: Some(utc("2026-03-01T00:00:00Z")),
                    due_to: Some(utc("2026-03-08T00:00:00Z")),
                    ..Default::default()
                },
                page: page(None),
            },
        ),
        (
            "overdue list",
            PlanQuery::List {
                filter: ListFilter {
                    overdue_at: Some(now),
                    ..Default::default()
                },
                page: page(None),
            },
        ),
        (
            "overdue, pending, high, in range",
            PlanQuery::List {
                filter: ListFilter {
                    status: Some(Status::Pending),
                    priority: Some(Priority::High),
                    due_from: Some(utc("2026-02-01T00:00:00Z")),
                    due_to: Some(utc("2026-09-01T00:00:00Z")),
                    overdue_at: Some(now),
                },
                page: page(cursor),
            },
        ),
        ("dashboard overdue count", PlanQuery::CountOverdue { now }),
        (
            "dashboard next pending",
            PlanQuery::NextPending { now, limit: 5 },
        ),
    ];
    for user in [HEAVY, LIGHT] {
        let user_id = UserId::from_uuid(user.parse().unwrap());
        for (name, query) in &cases {
            let plan = repo.explain(user_id, query).await.unwrap().join("\n");
            println!("-- {name} ({user})\n{plan}\n");
            assert!(
                !plan.contains("Seq Scan"),
                "{name} for {user} scans the table:\n{plan}"
            );
            assert!(
                plan.contains("idx_reminders_user_id_"),
                "{name} for {user} uses no reminders index:\n{plan}"
            );
        }
    }
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}
