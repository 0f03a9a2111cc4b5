//! Identifiers shared by every module.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// A fresh time-ordered id (UUID v7): kind to B-tree indexes.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The owner of a row. Every repository method takes one; every SQL statement
/// filters by it (RULES R7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(Uuid);

impl UserId {
    /// Wraps an existing id (from a verified token or a database row).
    pub const fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    /// A new, time-ordered user id.
    pub fn generate() -> Self {
        Self(new_id())
    }

    /// The underlying UUID.
    pub const fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<UserId> for Uuid {
    fn from(id: UserId) -> Self {
        id.0
    }
}
