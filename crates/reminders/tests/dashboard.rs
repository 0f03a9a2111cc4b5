//! The use case the dashboard calls: overdue count and the next pending
//! reminders of one user at one instant, against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::{act, create, spawn_at, user_in, utc};
use kernel::infra::PgTransactor;
use kernel::{ApiError, FixedClock, UserId};
use reminders::application::{RemindersService, UserTimezones};
use reminders::infra::{PgIdempotencyStore, PgReminders};
use serde_json::json;
use std::sync::Arc;

struct Utc;

#[async_trait::async_trait]
impl UserTimezones for Utc {
    async fn timezone(&self, _: UserId) -> Result<chrono_tz::Tz, ApiError> {
        Ok(chrono_tz::Tz::UTC)
    }
}

#[actix_web::test]
async fn overdue_count_and_next_pending_for_one_user() {
    let (app, clock) = spawn_at("2026-11-25T12:00:00Z").await;
    let user = user_in(&app, "UTC").await;
    let other = user_in(&app, "UTC").await;
    for (title, due) in [
        ("late 1", "2026-11-24T09:00:00Z"),
        ("late 2", "2026-11-25T11:59:59Z"),
        ("now", "2026-11-25T12:00:00Z"),
        ("soon", "2026-11-25T13:00:00Z"),
        ("tomorrow", "2026-11-26T09:00:00Z"),
        ("next week", "2026-12-02T09:00:00Z"),
    ] {
        create(&app, &user, json!({"title": title, "due_at": due})).await;
    }
    let done = create(
        &app,
        &user,
        json!({"title": "done", "due_at": "2026-11-20T09:00:00Z"}),
    )
    .await;
    act(&app, &user, &done["id"], "complete", None).await;
    create(
        &app,
        &other,
        json!({"title": "someone else's", "due_at": "2026-11-20T09:00:00Z"}),
    )
    .await;
    create(
        &app,
        &other,
        json!({"title": "someone else's next", "due_at": "2026-11-25T12:30:00Z"}),
    )
    .await;

    let pool = app.pool().clone();
    let service = RemindersService::new(
        Arc::new(PgReminders::new(pool.clone())),
        Arc::new(PgIdempotencyStore::new()),
        Arc::new(Utc),
        Arc::new(PgTransactor::new(pool)),
        Arc::new(FixedClock::at(utc("2026-11-25T12:00:00Z"))),
    );
    let user_id = UserId::from_uuid(user.user_id);
    let attention = service
        .attention(user_id, clock_now(&clock), 3)
        .await
        .unwrap();
    assert_eq!(
        attention.overdue_count, 2,
        "due exactly now is not overdue; done never is"
    );
    let next: Vec<&str> = attention.next.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(next, ["now", "soon", "tomorrow"]);

    let later = service
        .attention(user_id, utc("2026-11-30T00:00:00Z"), 5)
        .await
        .unwrap();
    assert_eq!(later.overdue_count, 5);
    assert_eq!(later.next.len(), 1);

    let nobody = service
        .attention(UserId::generate(), utc("2026-11-30T00:00:00Z"), 5)
        .await
        .unwrap();
    assert_eq!((nobody.overdue_count, nobody.next.len()), (0, 0));
}

fn clock_now(clock: &FixedClock) -> chrono::DateTime<chrono::Utc> {
    use kernel::Clock as _;
    clock.now()
}
