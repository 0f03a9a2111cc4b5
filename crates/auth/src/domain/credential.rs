//! An account's credential: its email and password hash.

use super::Email;
use kernel::UserId;

/// A stored credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// Owner.
    pub user_id: UserId,
    /// Normalised email.
    pub email: Email,
    /// PHC string of the password hash (Argon2id).
    pub password_hash: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}
