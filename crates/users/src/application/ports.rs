//! What the `users` use cases need from the outside world.

use crate::domain::Profile;
use kernel::precondition::IfMatch;
use kernel::{RepoError, Tx, UserId};

/// Profiles (`users.profiles`).
#[async_trait::async_trait]
pub trait ProfileRepo: Send + Sync {
    /// Stores a new profile, inside the caller's transaction.
    async fn insert(&self, tx: &mut Tx<'_>, profile: &Profile) -> Result<(), RepoError>;
    /// The user's profile.
    async fn find(&self, user_id: UserId) -> Result<Option<Profile>, RepoError>;
    /// The user's profile, locked until the caller's transaction ends.
    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
    ) -> Result<Option<Profile>, RepoError>;
    /// Writes every mutable field and `updated_at` inside the caller's
    /// transaction; `false` when the user has no profile.
    async fn update(&self, tx: &mut Tx<'_>, profile: &Profile) -> Result<bool, RepoError>;
    /// Deletes the user's profile (account deletion); rows deleted.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// The login email of an account, owned by the auth module (the binary wires it).
#[async_trait::async_trait]
pub trait AccountEmails: Send + Sync {
    /// The user's email.
    async fn email_of(&self, user_id: UserId) -> Result<String, kernel::ApiError>;
}

/// Closing and exporting an account across every module. The binary composes
/// it from each module's use cases (one transaction for the deletion).
#[async_trait::async_trait]
pub trait AccountLifecycle: Send + Sync {
    /// Checks the password, then deletes every row of the user in every
    /// module, in one transaction; with `if_match`, only while the profile
    /// still matches it (412 otherwise, nothing deleted).
    async fn close(
        &self,
        user_id: UserId,
        password: &str,
        if_match: Option<IfMatch>,
    ) -> Result<(), kernel::ApiError>;
    /// The whole account as one JSON document, streamed in chunks.
    fn export(
        &self,
        user_id: UserId,
    ) -> futures_util::stream::BoxStream<'static, Result<bytes::Bytes, kernel::ApiError>>;
}
