//! The private test cluster: it answers, stops (connections fail), restarts
//! on the same port, and streams what the primary writes to a hot standby.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)] // tests may panic

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use kernel::infra::testkit::Cluster;
use std::time::{Duration, Instant};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Flag {
    #[diesel(sql_type = Text)]
    v: String,
}

async fn one(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .await
        .unwrap()
        .n
}

#[tokio::test]
async fn a_cluster_stops_and_restarts_on_the_same_port() {
    if !Cluster::available() {
        eprintln!("skipped: initdb/pg_ctl/pg_basebackup not installed");
        return;
    }
    let cluster = Cluster::start().await.unwrap();
    let port = cluster.port();
    assert_eq!(
        cluster.url("x"),
        format!("postgres://postgres@127.0.0.1:{port}/x")
    );
    let mut conn = cluster.connect("postgres").await.unwrap();
    assert_eq!(one(&mut conn, "SELECT 1::bigint AS n").await, 1);
    drop(conn);

    cluster.stop().await.unwrap();
    let refused = tokio::time::timeout(
        Duration::from_secs(5),
        AsyncPgConnection::establish(&cluster.url("postgres")),
    )
    .await
    .expect("a stopped cluster refuses at once");
    assert!(refused.is_err(), "a stopped cluster accepted a connection");

    cluster.restart().await.unwrap();
    assert_eq!(cluster.port(), port);
    let mut conn = cluster.connect("postgres").await.unwrap();
    assert_eq!(one(&mut conn, "SELECT 2::bigint AS n").await, 2);
}

#[tokio::test]
async fn a_migrated_database_has_every_schema() {
    if !Cluster::available() {
        eprintln!("skipped: initdb/pg_ctl/pg_basebackup not installed");
        return;
    }
    let cluster = Cluster::start().await.unwrap();
    let url = cluster.create_migrated_database("app").await.unwrap();
    assert_eq!(url, cluster.url("app"));
    let mut conn = cluster.connect("app").await.unwrap();
    let schemas = one(
        &mut conn,
        "SELECT count(*) AS n FROM pg_namespace \
         WHERE nspname IN ('auth','users','finances','reminders','calendar')",
    )
    .await;
    assert_eq!(schemas, 5);
}

#[tokio::test]
async fn a_standby_receives_what_the_primary_writes_and_refuses_writes() {
    if !Cluster::available() {
        eprintln!("skipped: initdb/pg_ctl/pg_basebackup not installed");
        return;
    }
    let primary = Cluster::start().await.unwrap();
    let mut conn = primary.connect("postgres").await.unwrap();
    diesel::sql_query("CREATE TABLE t (id bigint PRIMARY KEY)")
        .execute(&mut conn)
        .await
        .unwrap();
    let standby = Cluster::standby_of(&primary).await.unwrap();
    assert_ne!(standby.port(), primary.port());

    diesel::sql_query("INSERT INTO t VALUES (42)")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut replica = standby.connect("postgres").await.unwrap();
    let recovery: Flag = diesel::sql_query("SELECT pg_is_in_recovery()::text AS v")
        .get_result(&mut replica)
        .await
        .unwrap();
    assert_eq!(recovery.v, "true");

    let deadline = Instant::now() + Duration::from_secs(15);
    while one(&mut replica, "SELECT count(*) AS n FROM t WHERE id = 42").await != 1 {
        assert!(
            Instant::now() < deadline,
            "the row never reached the standby; its log:\n{}",
            standby.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let write = diesel::sql_query("INSERT INTO t VALUES (43)")
        .execute(&mut replica)
        .await;
    assert!(write.is_err(), "the standby accepted a write");
}
