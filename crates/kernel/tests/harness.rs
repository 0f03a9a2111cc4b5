//! The test harness itself: each test gets its own migrated database, and it
//! is gone once the test is done with it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use kernel::infra::testkit::TestDb;
use kernel::infra::testkit::server::admin_url;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn databases_named(name: &str) -> i64 {
    let mut admin = AsyncPgConnection::establish(admin_url().await)
        .await
        .unwrap();
    let rows: Vec<Count> =
        diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(name)
            .load(&mut admin)
            .await
            .unwrap();
    rows[0].n
}

#[tokio::test]
async fn each_test_database_is_migrated_separate_and_dropped() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    assert_ne!(a.name(), b.name());

    let mut conn = a.connect().await;
    let rows: Vec<Count> = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_namespace WHERE nspname IN ('auth','users','finances','reminders','calendar')",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(rows[0].n, 5, "cloned from the migrated template");
    diesel::sql_query("CREATE TABLE finances.scratch (x int)")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);

    let mut other = b.connect().await;
    let rows: Vec<Count> = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'finances' AND tablename = 'scratch'",
    )
    .load(&mut other)
    .await
    .unwrap();
    assert_eq!(rows[0].n, 0, "databases are isolated");
    drop(other);

    let name = a.name().to_owned();
    assert_eq!(databases_named(&name).await, 1);
    drop(a);
    assert_eq!(databases_named(&name).await, 0, "dropped with its TestDb");
}
