//! The dashboard composes its parts concurrently, in the user's zone, and
//! survives a failing or slow part.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use dashboard::application::{
    CalendarSource, DashboardService, FinancesSource, RemindersSource, TimezoneSource, When,
};
use dashboard::domain::{CalendarPart, FinancesPart, Part, RemindersPart};
use kernel::{ApiError, FixedClock, UserId};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Zone(Tz);
#[async_trait::async_trait]
impl TimezoneSource for Zone {
    async fn timezone(&self, _: UserId) -> Result<Tz, ApiError> {
        Ok(self.0)
    }
}

#[derive(Clone, Copy)]
enum Behaviour {
    Answer,
    Fail,
    Hang,
}

struct Fake {
    behaviour: Behaviour,
    delay: Duration,
    seen: Mutex<Option<When>>,
}

impl Fake {
    fn new(behaviour: Behaviour, delay_ms: u64) -> Arc<Self> {
        Arc::new(Self {
            behaviour,
            delay: Duration::from_millis(delay_ms),
            seen: Mutex::new(None),
        })
    }

    async fn act<T>(&self, when: When, value: T) -> Result<T, ApiError> {
        *self.seen.lock().unwrap() = Some(when);
        tokio::time::sleep(self.delay).await;
        match self.behaviour {
            Behaviour::Answer => Ok(value),
            Behaviour::Fail => Err(ApiError::Unavailable(anyhow::anyhow!("module down"))),
            Behaviour::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(value)
            }
        }
    }
}

fn finances_part(today: NaiveDate) -> FinancesPart {
    FinancesPart {
        from: today,
        to: today,
        income: "10.00".into(),
        expense: "2.50".into(),
        balance: "7.50".into(),
        top_expense_categories: vec![],
        budgets_near_limit: vec![],
    }
}

#[async_trait::async_trait]
impl FinancesSource for Fake {
    async fn finances(&self, _: UserId, when: When) -> Result<FinancesPart, ApiError> {
        self.act(when, finances_part(when.today)).await
    }
}

#[async_trait::async_trait]
impl RemindersSource for Fake {
    async fn reminders(&self, _: UserId, when: When) -> Result<RemindersPart, ApiError> {
        self.act(
            when,
            RemindersPart {
                overdue_count: 2,
                next: vec![],
            },
        )
        .await
    }
}

#[async_trait::async_trait]
impl CalendarSource for Fake {
    async fn calendar(&self, _: UserId, when: When) -> Result<CalendarPart, ApiError> {
        self.act(
            when,
            CalendarPart {
                today: vec![],
                upcoming: vec![],
            },
        )
        .await
    }
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

fn service(f: Arc<Fake>, r: Arc<Fake>, c: Arc<Fake>, now: &str, tz: Tz) -> DashboardService {
    DashboardService::new(
        Arc::new(Zone(tz)),
        f,
        r,
        c,
        Arc::new(FixedClock::at(at(now))),
        Duration::from_millis(300),
    )
}

#[tokio::test]
async fn today_is_the_users_local_date() {
    let f = Fake::new(Behaviour::Answer, 0);
    let svc = service(
        f.clone(),
        Fake::new(Behaviour::Answer, 0),
        Fake::new(Behaviour::Answer, 0),
        "2026-12-01T02:30:00Z",
        chrono_tz::America::Sao_Paulo,
    );
    let dash = svc.dashboard(UserId::generate()).await.unwrap();
    // 02:30 UTC on Dec 1 is still Nov 30 in São Paulo (UTC−3).
    assert_eq!(dash.today, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    assert_eq!(dash.timezone, "America/Sao_Paulo");
    assert_eq!(f.seen.lock().unwrap().unwrap().today, dash.today);
    assert_eq!(dash.finances, Part::Ok(finances_part(dash.today)));
    assert_eq!(
        dash.reminders,
        Part::Ok(RemindersPart {
            overdue_count: 2,
            next: vec![]
        })
    );
}

#[tokio::test]
async fn a_failing_part_and_a_hanging_part_are_unavailable_and_the_rest_is_served() {
    let svc = service(
        Fake::new(Behaviour::Fail, 0),
        Fake::new(Behaviour::Answer, 0),
        Fake::new(Behaviour::Hang, 0),
        "2026-11-25T12:00:00Z",
        chrono_tz::UTC,
    );
    let started = Instant::now();
    let dash = svc.dashboard(UserId::generate()).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the hanging part is cut at its deadline"
    );
    assert!(matches!(dash.finances, Part::Unavailable { .. }));
    assert!(matches!(dash.calendar, Part::Unavailable { .. }));
    assert!(matches!(dash.reminders, Part::Ok(_)));
    let json = serde_json::to_value(&dash).unwrap();
    assert_eq!(json["finances"]["status"], "unavailable");
    assert_eq!(json["reminders"]["status"], "ok");
    assert_eq!(json["reminders"]["overdue_count"], 2);
}

#[tokio::test]
async fn parts_are_fetched_concurrently() {
    let svc = service(
        Fake::new(Behaviour::Answer, 200),
        Fake::new(Behaviour::Answer, 200),
        Fake::new(Behaviour::Answer, 200),
        "2026-11-25T12:00:00Z",
        chrono_tz::UTC,
    );
    let started = Instant::now();
    let dash = svc.dashboard(UserId::generate()).await.unwrap();
    let took = started.elapsed();
    assert!(matches!(dash.calendar, Part::Ok(_)));
    assert!(
        took < Duration::from_millis(500),
        "three 200 ms parts took {took:?}"
    );
}
