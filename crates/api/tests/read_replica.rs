//! Read replicas (issue 10): with `DATABASE_READ_URL` set, list, summary,
//! range, export and dashboard reads come from the replica, while writes and
//! the reads that must see them (the answer to a create, `GET` of one item)
//! use the primary. A replica that stops answering costs no request: reads
//! go to the primary, and come back to the replica once it answers again.
//!
//! The proof that a read is served by the replica: replay is paused on a real
//! streaming standby (`pg_wal_replay_pause()`), so a row written afterwards
//! exists on the primary only. See docs/READ_REPLICAS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use chrono::{Duration as Days, Utc};
use common::{Agent, User};
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::infra::testkit::{Cluster, TestDb};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const TX: &str = "/api/v1/finances/transactions";
const REMINDERS: &str = "/api/v1/reminders";
const EVENTS: &str = "/api/v1/calendar/events";
const DASHBOARD: &str = "/api/v1/dashboard";
/// The read pool's log lines, and warnings of everything else.
const LOG_FILTER: &str = "warn,kernel::infra::read_pool=info";
const WENT: &str = "read replica unavailable";
const CAME_BACK: &str = "read replica answers again";

#[derive(diesel::QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    v: bool,
}

#[derive(diesel::QueryableByName)]
struct Lsn {
    #[diesel(sql_type = Text)]
    lsn: String,
}

async fn flag(conn: &mut AsyncPgConnection, sql: &str) -> bool {
    diesel::sql_query(sql)
        .get_result::<Flag>(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .v
}

/// Waits until the standby has replayed everything the primary wrote so far.
async fn caught_up(primary: &Cluster, standby: &Cluster) {
    let lsn = diesel::sql_query("SELECT pg_current_wal_lsn()::text AS lsn")
        .get_result::<Lsn>(&mut primary.connect("app").await.unwrap())
        .await
        .unwrap()
        .lsn;
    let mut conn = standby.connect("app").await.unwrap();
    let sql = format!("SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn AS v");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !flag(&mut conn, &sql).await {
        assert!(
            Instant::now() < deadline,
            "the standby never replayed {lsn}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Pauses replay on the standby: from now on, new rows exist on the primary only.
async fn pause_replay(standby: &Cluster) {
    let mut conn = standby.connect("app").await.unwrap();
    diesel::sql_query("SELECT pg_wal_replay_pause()")
        .execute(&mut conn)
        .await
        .unwrap();
    // 'pause requested' already stops replay before its next record.
    assert!(
        flag(
            &mut conn,
            "SELECT pg_get_wal_replay_pause_state() <> 'not paused' AS v"
        )
        .await
    );
}

async fn resume_replay(primary: &Cluster, standby: &Cluster) {
    diesel::sql_query("SELECT pg_wal_replay_resume()")
        .execute(&mut standby.connect("app").await.unwrap())
        .await
        .unwrap();
    caught_up(primary, standby).await;
}

async fn get(agent: &Agent, user: &User, path: &str) -> Value {
    let res = agent
        .call(&user.access_token, "GET", path, None)
        .await
        .unwrap();
    assert_eq!(res.status, 200, "GET {path}: {}", res.text());
    res.json()
}

async fn create(agent: &Agent, user: &User, path: &str, body: Value) -> Value {
    let res = agent
        .call(&user.access_token, "POST", path, Some(&body))
        .await
        .unwrap();
    assert_eq!(res.status, 201, "POST {path}: {}", res.text());
    res.json()
}

fn ids(list: &Value) -> Vec<String> {
    let key = if list["items"][0].get("event_id").is_some() {
        "event_id"
    } else {
        "id"
    };
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect()
}

/// Today's data of one user, and the reads the test compares.
struct Scene {
    today: String,
    month: String,
    range: String,
}

impl Scene {
    fn now() -> Self {
        let now = Utc::now();
        let day = |d: chrono::DateTime<Utc>| d.format("%Y-%m-%dT00:00:00Z").to_string();
        Self {
            today: now.format("%Y-%m-%d").to_string(),
            month: now.format("%Y-%m").to_string(),
            range: format!(
                "{EVENTS}?from={}&to={}",
                day(now - Days::days(1)),
                day(now + Days::days(2))
            ),
        }
    }

    fn transaction(&self, amount: &str) -> Value {
        json!({"kind": "expense", "amount": amount, "occurred_on": self.today})
    }

    fn overdue_reminder(title: &str) -> Value {
        let due = (Utc::now() - Days::hours(2)).to_rfc3339();
        json!({"title": title, "due_at": due})
    }

    fn event(title: &str) -> Value {
        let start = Utc::now() + Days::hours(1);
        json!({"title": title, "starts_at": start.to_rfc3339(), "ends_at": (start + Days::hours(1)).to_rfc3339()})
    }

    fn summary(&self) -> String {
        format!("/api/v1/finances/summary?month={}", self.month)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_come_from_the_replica_and_fall_back_to_the_primary_while_it_is_down() {
    if !Cluster::available() {
        eprintln!(
            "skipped read_replica: initdb/pg_ctl/pg_basebackup not installed (CI installs them)"
        );
        return;
    }
    let primary = Cluster::start().await.unwrap();
    let url = primary.create_migrated_database("app").await.unwrap();
    let standby = Cluster::standby_of(&primary).await.unwrap();
    let agent = Agent::builder(&url)
        .env("DATABASE_READ_URL", standby.url("app"))
        .env("APP__DATABASE__ACQUIRE_TIMEOUT_MS", 2000)
        .env("APP__LOG__FILTER", LOG_FILTER)
        .spawn()
        .await;
    let user = agent.register().await;
    let s = Scene::now();

    // Replicating: what was written is read back from the replica.
    let a = create(&agent, &user, TX, s.transaction("10.00")).await["id"].clone();
    create(&agent, &user, REMINDERS, Scene::overdue_reminder("first")).await;
    let first_event = create(&agent, &user, EVENTS, Scene::event("first")).await["id"].clone();
    caught_up(&primary, &standby).await;
    assert_eq!(ids(&get(&agent, &user, TX).await), [a.as_str().unwrap()]);
    assert_eq!(get(&agent, &user, &s.summary()).await["expense"], "10.00");

    // Replay paused: new rows exist on the primary only.
    pause_replay(&standby).await;
    let b = create(&agent, &user, TX, s.transaction("20.00")).await;
    assert_eq!(b["amount"], "20.00", "the create answers from the primary");
    let b = b["id"].as_str().unwrap().to_owned();
    let one = get(&agent, &user, &format!("{TX}/{b}")).await;
    assert_eq!(one["id"], b, "reading one's own write goes to the primary");
    let reminder = create(&agent, &user, REMINDERS, Scene::overdue_reminder("second")).await;
    let event = create(&agent, &user, EVENTS, Scene::event("second")).await;
    let event = event["id"].as_str().unwrap().to_owned();

    let list = get(&agent, &user, TX).await;
    assert_eq!(
        ids(&list),
        [a.as_str().unwrap()],
        "the list is the replica's"
    );
    assert_eq!(
        get(&agent, &user, &s.summary()).await["expense"],
        "10.00",
        "the summary is the replica's"
    );
    let reminders = ids(&get(&agent, &user, REMINDERS).await);
    assert_eq!(reminders.len(), 1, "the reminder list is the replica's");
    assert!(!reminders.contains(&reminder["id"].as_str().unwrap().to_owned()));
    assert_eq!(
        ids(&get(&agent, &user, &s.range).await),
        [first_event.as_str().unwrap()],
        "the calendar range is the replica's"
    );
    let dash = get(&agent, &user, DASHBOARD).await;
    assert_eq!(dash["finances"]["expense"], "10.00", "{dash}");
    assert_eq!(dash["reminders"]["overdue_count"], 1, "{dash}");

    // Replay resumed: the replica catches up, and so do the reads.
    resume_replay(&primary, &standby).await;
    let mut listed = ids(&get(&agent, &user, TX).await);
    listed.sort();
    let mut expected = vec![a.as_str().unwrap().to_owned(), b.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(get(&agent, &user, &s.summary()).await["expense"], "30.00");
    assert!(ids(&get(&agent, &user, &s.range).await).contains(&event));
    assert_eq!(
        get(&agent, &user, DASHBOARD).await["reminders"]["overdue_count"],
        2
    );
    assert!(!agent.log().contains(WENT), "{}", agent.log());

    // The replica stops: every read answers from the primary, promptly.
    standby.stop().await.unwrap();
    let c = create(&agent, &user, TX, s.transaction("5.00")).await["id"].clone();
    for path in [TX, &s.summary(), REMINDERS, &s.range, DASHBOARD] {
        for _ in 0..3 {
            let started = Instant::now();
            let res = agent
                .call(&user.access_token, "GET", path, None)
                .await
                .unwrap();
            assert_eq!(
                res.status,
                200,
                "GET {path} with the replica down: {}",
                res.text()
            );
            // A generous bound: far from a connect timeout per request.
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "GET {path} took {:?}",
                started.elapsed()
            );
        }
    }
    assert!(
        ids(&get(&agent, &user, TX).await).contains(&c.as_str().unwrap().to_owned()),
        "the primary's list"
    );
    assert_eq!(get(&agent, &user, &s.summary()).await["expense"], "35.00");
    assert_eq!(
        agent.log().matches(WENT).count(),
        1,
        "one warning per outage: {}",
        agent.log()
    );

    // Back up (and paused again, to tell it from the primary): reads return to it.
    standby.restart().await.unwrap();
    caught_up(&primary, &standby).await;
    pause_replay(&standby).await;
    let d = create(&agent, &user, TX, s.transaction("1.00")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    while ids(&get(&agent, &user, TX).await).contains(&d) {
        assert!(
            Instant::now() < deadline,
            "reads never went back to the replica: {}",
            agent.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(get(&agent, &user, &s.summary()).await["expense"], "35.00");
    assert_eq!(agent.log().matches(CAME_BACK).count(), 1, "{}", agent.log());
    resume_replay(&primary, &standby).await;
    assert!(ids(&get(&agent, &user, TX).await).contains(&d));
}

/// A replica that accepts connections and never answers (a dead host behind
/// a live load balancer): each connection attempt costs a full timeout.
async fn black_hole() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    (port, accepted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_replica_costs_one_timeout_not_one_per_request() {
    let db = TestDb::new().await;
    let (port, attempts) = black_hole().await;
    let agent = Agent::builder(db.url())
        .env(
            "DATABASE_READ_URL",
            format!("postgres://postgres@127.0.0.1:{port}/app"),
        )
        .env("APP__DATABASE__ACQUIRE_TIMEOUT_MS", 1000)
        .env("APP__LOG__FILTER", LOG_FILTER)
        .spawn()
        .await;
    let user = agent.register().await;
    let s = Scene::now();
    let a = create(&agent, &user, TX, s.transaction("10.00")).await["id"].clone();

    // The first read waits out the replica's timeout, then reads the primary.
    assert_eq!(ids(&get(&agent, &user, TX).await), [a.as_str().unwrap()]);
    assert_eq!(AtomicUsize::load(&attempts, Ordering::SeqCst), 1);
    // The next reads skip the replica while it is remembered as down.
    for _ in 0..8 {
        assert_eq!(ids(&get(&agent, &user, TX).await), [a.as_str().unwrap()]);
    }
    let tried = AtomicUsize::load(&attempts, Ordering::SeqCst);
    assert!(
        tried <= 3,
        "9 reads tried the hanging replica {tried} times (at most one probe per pause expected)"
    );
    assert_eq!(agent.log().matches(WENT).count(), 1, "{}", agent.log());
}
