//! Two transactions that deadlock: PostgreSQL aborts one, which is a
//! transient failure (503, retry), not a bug (500).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use kernel::RepoError;
use kernel::infra::testkit::TestDb;

async fn run(conn: &mut AsyncPgConnection, sql: &str) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(sql).execute(conn).await
}

#[tokio::test]
async fn a_deadlock_is_a_retryable_unavailability() {
    let db = TestDb::new().await;
    let mut setup = db.connect().await;
    run(
        &mut setup,
        "CREATE TABLE public.locks (id int PRIMARY KEY, v int)",
    )
    .await
    .unwrap();
    run(&mut setup, "INSERT INTO public.locks VALUES (1, 0), (2, 0)")
        .await
        .unwrap();
    let mut a = AsyncPgConnection::establish(db.url()).await.unwrap();
    let mut b = AsyncPgConnection::establish(db.url()).await.unwrap();
    for (conn, id) in [(&mut a, 1), (&mut b, 2)] {
        run(conn, "BEGIN").await.unwrap();
        run(
            conn,
            &format!("UPDATE public.locks SET v = 1 WHERE id = {id}"),
        )
        .await
        .unwrap();
    }
    let (left, right) = tokio::join!(
        run(&mut a, "UPDATE public.locks SET v = 2 WHERE id = 2"),
        run(&mut b, "UPDATE public.locks SET v = 2 WHERE id = 1"),
    );
    let aborted: Vec<_> = [left, right].into_iter().filter_map(Result::err).collect();
    assert_eq!(
        aborted.len(),
        1,
        "PostgreSQL aborts exactly one: {aborted:?}"
    );
    let err = RepoError::from(aborted.into_iter().next().unwrap());
    assert!(matches!(err, RepoError::Unavailable(_)), "{err:?}");
    assert_eq!(kernel::ApiError::from(err).status(), 503);
}
