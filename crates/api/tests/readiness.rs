//! `/ready` follows the database: 503 within 2 s while it is gone, 200 again
//! once it is back, without restarting the app. `/health` never cares.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::time::{Duration, Instant};
use testkit::TestApp;

#[actix_web::test]
async fn ready_fails_fast_while_the_database_is_gone_and_recovers_without_restart() {
    let app = TestApp::builder()
        .through_proxy()
        .acquire_timeout(Duration::from_secs(5))
        .spawn()
        .await;
    assert_eq!(app.get("/ready").await.status, 200);

    app.proxy().cut();
    let started = Instant::now();
    let down = app.get("/ready").await;
    let took = started.elapsed();
    down.problem(503);
    assert!(
        took < Duration::from_secs(2),
        "/ready took {took:?} with the database gone"
    );
    assert_eq!(app.get("/health").await.status, 200);

    app.proxy().restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let res = app.get("/ready").await;
        if res.status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "/ready did not recover: {}",
            res.text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
