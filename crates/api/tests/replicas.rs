//! Stateless replicas (issue 10, RULES R13): two `my-agent serve` processes
//! on different ports over one database behave as one API. Sessions, tokens
//! and Idempotency-Key state live in PostgreSQL, so whatever one replica
//! issues or records the other honours.
//!
//! Rate limits are the exception, by design: the limiter is in-process
//! (`kernel::infra::rate_limit::InProcessRateLimiter`), so each replica counts
//! on its own. With a limit of N attempts per minute per email (and per
//! client address), a cluster of R replicas lets through up to R × N attempts
//! per minute — here exactly N on each of the two — and each replica answers
//! 429 problem+json with `Retry-After` beyond its own N. A shared store
//! (Redis) behind the same `RateLimiter` port makes the limit cluster-wide.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::{Agent, http};
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use kernel::infra::testkit::TestDb;
use serde_json::{Value, json};

const TX: &str = "/api/v1/finances/transactions";

async fn refresh(agent: &Agent, token: &str) -> common::Res {
    http(
        agent.port(),
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": token})),
        &[],
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_moves_between_two_replicas_round_robin() {
    let db = TestDb::new().await;
    let a = Agent::builder(db.url()).spawn().await;
    let b = Agent::builder(db.url()).spawn().await;
    assert_ne!(a.port(), b.port());
    let replicas = [&a, &b];

    let user = a.register().await;
    let mut refresh_token = user.refresh_token.clone();
    let mut spent = Vec::new();
    let mut created: Vec<String> = Vec::new();
    for i in 0..6 {
        // Refresh on one replica, write there, read on the other.
        let here = replicas[(i + 1) % 2];
        let there = replicas[i % 2];
        let pair = refresh(here, &refresh_token).await;
        assert_eq!(pair.status, 200, "refresh #{i}: {}", pair.text());
        let pair = pair.json();
        spent.push(std::mem::replace(
            &mut refresh_token,
            pair["refresh_token"].as_str().unwrap().to_owned(),
        ));
        let access = pair["access_token"].as_str().unwrap().to_owned();

        let body = json!({"kind": "expense", "amount": format!("{}.50", i + 1), "occurred_on": "2026-11-25"});
        let res = here.call(&access, "POST", TX, Some(&body)).await.unwrap();
        assert_eq!(res.status, 201, "{}", res.text());
        created.push(res.json()["id"].as_str().unwrap().to_owned());

        let list = there
            .call(&access, "GET", &format!("{TX}?limit=50"), None)
            .await
            .unwrap();
        assert_eq!(list.status, 200, "{}", list.text());
        let mut ids: Vec<String> = list.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        let mut expected = created.clone();
        expected.sort();
        assert_eq!(ids, expected, "replica {} misses writes", there.port());

        let patched = there
            .call(
                &access,
                "PATCH",
                &format!("{TX}/{}", created[i]),
                Some(&json!({"amount": format!("{}.75", i + 1)})),
            )
            .await
            .unwrap();
        assert_eq!(patched.status, 200, "{}", patched.text());
        let read = here
            .call(&access, "GET", &format!("{TX}/{}", created[i]), None)
            .await
            .unwrap();
        assert_eq!(read.json()["amount"], format!("{}.75", i + 1));
    }
    assert_eq!(db.rows_of("finances.transactions", user.user_id).await, 6);

    // A refresh token rotated on B (the last refresh ran there) is reuse on A:
    // refused, and the reuse revokes the session on both replicas.
    let last = spent.last().unwrap();
    let reuse = refresh(&a, last).await;
    assert!(reuse.is_problem(401), "{reuse:?}");
    let revoked = refresh(&b, &refresh_token).await;
    assert!(revoked.is_problem(401), "{revoked:?}");
    let revoked = refresh(&a, &refresh_token).await;
    assert!(revoked.is_problem(401), "{revoked:?}");
    // An older token spent on A is refused on B as well.
    let older = refresh(&b, &spent[0]).await;
    assert!(older.is_problem(401), "{older:?}");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_replays_on_the_other_replica() {
    let db = TestDb::new().await;
    let a = Agent::builder(db.url()).spawn().await;
    let b = Agent::builder(db.url()).spawn().await;
    let user = a.register().await;
    let key = uuid::Uuid::new_v4().to_string();
    let body = json!({"kind": "income", "amount": "42.00", "occurred_on": "2026-11-25", "description": "salary"});
    let post = |agent: &Agent, body: &Value| {
        let token = user.access_token.clone();
        let key = key.clone();
        let port = agent.port();
        let body = body.clone();
        async move {
            http(
                port,
                "POST",
                TX,
                Some(&token),
                Some(&body),
                &[("Idempotency-Key", &key)],
            )
            .await
            .unwrap()
        }
    };

    let first = post(&a, &body).await;
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.header("idempotent-replayed"), None);
    let second = post(&b, &body).await;
    assert_eq!(second.status, 201, "{}", second.text());
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(second.header("location"), first.header("location"));
    assert_eq!(second.json(), first.json());

    // The same key with another body is refused on either replica.
    let other = json!({"kind": "income", "amount": "43.00", "occurred_on": "2026-11-25"});
    let conflict = post(&b, &other).await;
    assert!(conflict.is_problem(422), "{conflict:?}");

    let mut conn = db.connect().await;
    let rows: Count =
        diesel::sql_query("SELECT count(*) AS n FROM finances.transactions WHERE user_id = $1")
            .bind::<diesel::sql_types::Uuid, _>(user.user_id)
            .get_result(&mut conn)
            .await
            .unwrap();
    assert_eq!(rows.n, 1);
}

/// See the module doc: each replica limits on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_replica_rate_limits_on_its_own() {
    const LIMIT: u32 = 3;
    let db = TestDb::new().await;
    let a = Agent::builder(db.url())
        .env("APP__AUTH__RATE_LIMIT_PER_MINUTE", LIMIT)
        .spawn()
        .await;
    let b = Agent::builder(db.url())
        .env("APP__AUTH__RATE_LIMIT_PER_MINUTE", LIMIT)
        .spawn()
        .await;
    let user = a.register().await;

    let mut through = 0;
    for replica in [&a, &b] {
        for attempt in 1..=LIMIT + 2 {
            let res = replica.login(&user.email).await.unwrap();
            if attempt <= LIMIT {
                assert_eq!(res.status, 200, "attempt {attempt}: {}", res.text());
                through += 1;
            } else {
                assert!(res.is_problem(429), "attempt {attempt}: {res:?}");
                let wait: u64 = res.header("retry-after").unwrap().parse().unwrap();
                assert!((1..=60).contains(&wait), "Retry-After {wait}");
            }
        }
    }
    assert_eq!(through, 2 * LIMIT, "two replicas let through N each");
}
