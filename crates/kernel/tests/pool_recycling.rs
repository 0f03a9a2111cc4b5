//! The pool hands out only live connections without paying a round trip per
//! checkout: a connection whose backend went away is dropped on return, and
//! one idle past [`PING_WHEN_IDLE_FOR`] is pinged first, so a silent peer
//! (here a frozen proxy connection) is replaced instead of hanging a request.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use diesel::sql_types::Integer;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use kernel::infra::db::PING_WHEN_IDLE_FOR;
use kernel::infra::testkit::database::{address_of, with_address};
use kernel::infra::testkit::server::admin_url;
use kernel::infra::testkit::{TcpProxy, TestDb};
use kernel::infra::{DbPool, PoolOptions, build_pool};
use std::time::{Duration, Instant};

#[derive(diesel::QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

/// The backend process serving the pool's next connection.
async fn backend_pid(pool: &DbPool) -> i32 {
    let mut conn = pool.get().await.expect("a live connection");
    diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(&mut *conn)
        .await
        .expect("the connection answers")
        .pid
}

fn one_connection(url: &str) -> DbPool {
    build_pool(
        url,
        PoolOptions {
            max_size: 1,
            acquire_timeout: Duration::from_secs(1),
        },
    )
    .unwrap()
}

#[tokio::test]
async fn a_connection_in_steady_use_is_reused_and_a_terminated_one_replaced() {
    let db = TestDb::new().await;
    let pool = one_connection(db.url());
    let first = backend_pid(&pool).await;
    assert_eq!(backend_pid(&pool).await, first, "reused while in use");

    let mut admin = AsyncPgConnection::establish(admin_url().await)
        .await
        .unwrap();
    diesel::sql_query("SELECT pg_terminate_backend($1)::int AS pid")
        .bind::<Integer, _>(first)
        .execute(&mut admin)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let second = backend_pid(&pool).await;
    assert_ne!(second, first, "the closed connection was not handed out");
}

#[tokio::test]
async fn an_idle_connection_whose_peer_went_silent_is_replaced_within_the_timeout() {
    let db = TestDb::new().await;
    let (host, port) = address_of(db.url()).unwrap();
    let proxy = TcpProxy::start(format!("{host}:{port}"));
    let pool = one_connection(&with_address(db.url(), proxy.addr()));
    let first = backend_pid(&pool).await;

    proxy.freeze();
    tokio::time::sleep(PING_WHEN_IDLE_FOR + Duration::from_millis(200)).await;
    let started = Instant::now();
    let second = tokio::time::timeout(Duration::from_secs(10), backend_pid(&pool))
        .await
        .expect("a checkout hung on the silent connection");
    let waited = started.elapsed();

    assert_ne!(second, first, "the silent connection was not handed out");
    assert!(
        waited < Duration::from_secs(5),
        "replaced after the ping timed out, not hung: {waited:?}"
    );
}
