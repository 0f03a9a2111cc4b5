//! What the `calendar` use cases need from the outside world.

use crate::domain::Event;
use chrono::{DateTime, Utc};
use kernel::{ApiError, RepoError, Tx, UserId};
use uuid::Uuid;

/// A cancelled occurrence of a series (`calendar.event_exceptions`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventException {
    /// Id.
    pub id: Uuid,
    /// The series.
    pub event_id: Uuid,
    /// Start of the cancelled occurrence.
    pub occurrence_start: DateTime<Utc>,
    /// When it was cancelled.
    pub created_at: DateTime<Utc>,
}

/// An existing event found by UID (for imports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UidMatch {
    /// The event's id.
    pub id: Uuid,
    /// Its UID.
    pub uid: String,
    /// Its `SEQUENCE`.
    pub sequence: i32,
    /// Its creation.
    pub created_at: DateTime<Utc>,
}

/// Events and their exceptions (`calendar.events`, `calendar.event_exceptions`).
/// Every method is scoped to one user (RULES R7).
#[async_trait::async_trait]
pub trait EventRepo: Send + Sync {
    /// Stores a new event (and its exceptions) inside the caller's transaction.
    async fn insert(&self, tx: &mut Tx<'_>, event: &Event) -> Result<(), RepoError>;
    /// One event with its exceptions.
    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Event>, RepoError>;
    /// One event with its exceptions, its row locked until the caller's
    /// transaction ends (every change below is made under that lock).
    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Event>, RepoError>;
    /// Rewrites an event and replaces its exceptions; `false` when absent.
    async fn update(&self, tx: &mut Tx<'_>, event: &Event) -> Result<bool, RepoError>;
    /// Deletes an event and its exceptions; `false` when absent.
    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError>;
    /// Cancels an occurrence: the record and `true`, or the existing record
    /// and `false` when it was already cancelled.
    async fn add_exception(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        exception: &EventException,
    ) -> Result<(EventException, bool), RepoError>;
    /// Restores a cancelled occurrence; `false` when absent.
    async fn delete_exception(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        event_id: Uuid,
        exception_id: Uuid,
    ) -> Result<bool, RepoError>;
    /// Events that may have an occurrence overlapping `[from, to)`: first
    /// start before `to` and series end after `from` (index-backed, RULES R10).
    async fn overlapping(
        &self,
        user_id: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Event>, RepoError>;
    /// Every event of the user, by first start (the ICS feed).
    async fn all(&self, user_id: UserId) -> Result<Vec<Event>, RepoError>;
    /// A page of the user's events by id (the account export).
    async fn page(
        &self,
        user_id: UserId,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Event>, RepoError>;
    /// The user's events having one of `uids`.
    async fn find_by_uids(
        &self,
        user_id: UserId,
        uids: &[String],
    ) -> Result<Vec<UidMatch>, RepoError>;
    /// Creates and updates events (with their exceptions) in one transaction.
    async fn import(
        &self,
        user_id: UserId,
        creates: &[Event],
        updates: &[Event],
    ) -> Result<(), RepoError>;
    /// Deletes every event and exception of the user (account deletion), in the caller's transaction.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// The secret feed tokens (`calendar.feed_tokens`): one per user, stored hashed.
#[async_trait::async_trait]
pub trait FeedTokenRepo: Send + Sync {
    /// Stores the hash of a new token for the user, replacing any previous one.
    async fn replace(
        &self,
        user_id: UserId,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// Whether `token_hash` is the user's current token.
    async fn verify(&self, user_id: UserId, token_hash: &[u8]) -> Result<bool, RepoError>;
    /// Deletes the user's token (account deletion), in the caller's transaction.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// The user's time zone, owned by the users module (the binary wires it).
#[async_trait::async_trait]
pub trait UserTimezones: Send + Sync {
    /// The user's IANA zone.
    async fn timezone(&self, user_id: UserId) -> Result<chrono_tz::Tz, ApiError>;
}
