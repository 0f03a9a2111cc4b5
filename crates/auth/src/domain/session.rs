//! A login session: one refresh-token family.

use chrono::{DateTime, Utc};
use kernel::UserId;
use uuid::Uuid;

/// A session as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Session id (the `sid` claim of its access tokens).
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// The client's `User-Agent` at login, truncated.
    pub user_agent: Option<String>,
    /// The client's address at login.
    pub ip: Option<String>,
    /// When the session was created (login or registration).
    pub created_at: DateTime<Utc>,
    /// Last refresh.
    pub last_used_at: DateTime<Utc>,
    /// When its refresh token stops working unless refreshed before.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked (logout, password change, reuse detection).
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Session {
    /// Whether its refresh token may still be used at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}
