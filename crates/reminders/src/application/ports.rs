//! What the `reminders` use cases need from the outside world.

use crate::domain::{Priority, Reminder, Status};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use kernel::pagination::PageRequest;
use kernel::{ApiError, RepoError, Tx, UserId};
use uuid::Uuid;

/// The list's sort key: `(due_at, id)`.
pub type ListKey = (DateTime<Utc>, Uuid);

/// Filters of the reminder list, parsed. Every one narrows the list (AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Due at or after this instant.
    pub due_from: Option<DateTime<Utc>>,
    /// Due strictly before this instant.
    pub due_to: Option<DateTime<Utc>>,
    /// Only overdue ones: pending and due strictly before this instant ("now").
    pub overdue_at: Option<DateTime<Utc>>,
}

/// Reminders (`reminders.reminders`). Every method is scoped to one user (RULES R7).
#[async_trait::async_trait]
pub trait ReminderRepo: Send + Sync {
    /// Stores a new reminder inside the caller's transaction.
    async fn insert(&self, tx: &mut Tx<'_>, reminder: &Reminder) -> Result<(), RepoError>;
    /// One of the user's reminders.
    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Reminder>, RepoError>;
    /// One of the user's reminders, locked until the caller's transaction ends.
    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Reminder>, RepoError>;
    /// Writes every mutable field inside the caller's transaction; `false` when the row is gone.
    async fn update(&self, tx: &mut Tx<'_>, reminder: &Reminder) -> Result<bool, RepoError>;
    /// Deletes one of the user's reminders inside the caller's transaction;
    /// `false` when there was none.
    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError>;
    /// Deletes every reminder of the user inside the caller's transaction; how many.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
    /// Up to `page.fetch_limit()` reminders matching `filter`, after the cursor,
    /// ordered by `(due_at, id)`.
    async fn list(
        &self,
        user_id: UserId,
        filter: &ListFilter,
        page: &PageRequest<ListKey>,
    ) -> Result<Vec<Reminder>, RepoError>;
    /// How many pending reminders are due strictly before `now`.
    async fn count_overdue(&self, user_id: UserId, now: DateTime<Utc>) -> Result<i64, RepoError>;
    /// The first `limit` pending reminders due at or after `now`, by `(due_at, id)`.
    async fn next_pending(
        &self,
        user_id: UserId,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Reminder>, RepoError>;
}

/// The user's time zone, owned by the `users` module (the binary wires it).
#[async_trait::async_trait]
pub trait UserTimezones: Send + Sync {
    /// The user's current IANA zone.
    async fn timezone(&self, user_id: UserId) -> Result<Tz, ApiError>;
}
