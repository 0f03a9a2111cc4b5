//! What the `auth` use cases need from the outside world.

use crate::domain::{AccessClaims, Credential, Email, Password, PersonalAccessToken, Session};
use chrono::{DateTime, Utc};
use kernel::pagination::PageRequest;
use kernel::{ApiError, FieldError, RepoError, Scope, Tx, UserId};
use uuid::Uuid;

/// Sort key of session and token lists: newest first.
pub type CreatedKey = (DateTime<Utc>, Uuid);

/// A credential to store.
#[derive(Debug)]
pub struct NewCredential<'a> {
    /// Row id.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// Normalised email.
    pub email: &'a Email,
    /// PHC hash string.
    pub password_hash: &'a str,
    /// Now.
    pub now: DateTime<Utc>,
}

/// Credentials (`auth.credentials`).
#[async_trait::async_trait]
pub trait CredentialRepo: Send + Sync {
    /// Stores a credential; `RepoError::Conflict` when the email is taken.
    async fn insert(
        &self,
        tx: &mut Tx<'_>,
        credential: &NewCredential<'_>,
    ) -> Result<(), RepoError>;
    /// The credential of an email (the one lookup that precedes knowing the user).
    async fn find_by_email(&self, email: &Email) -> Result<Option<Credential>, RepoError>;
    /// The credential of a user.
    async fn find(&self, user_id: UserId) -> Result<Option<Credential>, RepoError>;
    /// Replaces a user's password hash.
    async fn set_hash(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// Deletes the credential of the user (account deletion); rows deleted.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// A session to store.
#[derive(Debug)]
pub struct NewSession<'a> {
    /// Session id.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// SHA-256 of the refresh secret.
    pub refresh_hash: &'a [u8],
    /// Client `User-Agent`.
    pub user_agent: Option<&'a str>,
    /// Client address.
    pub ip: Option<&'a str>,
    /// Now.
    pub now: DateTime<Utc>,
    /// Refresh expiry.
    pub expires_at: DateTime<Utc>,
}

/// Sessions (`auth.sessions`).
#[async_trait::async_trait]
pub trait SessionRepo: Send + Sync {
    /// Stores a new session.
    async fn insert(&self, tx: &mut Tx<'_>, session: &NewSession<'_>) -> Result<(), RepoError>;
    /// One session of a user.
    async fn get(&self, user_id: UserId, id: Uuid) -> Result<Option<Session>, RepoError>;
    /// Swaps the refresh hash if `old_hash` is still current and the session
    /// active; `false` when it was not (a spent or forged token).
    async fn rotate(
        &self,
        user_id: UserId,
        id: Uuid,
        old_hash: &[u8],
        new_hash: &[u8],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, RepoError>;
    /// Revokes one session; `false` when the user has no such active session.
    async fn revoke(
        &self,
        user_id: UserId,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;
    /// Revokes every active session of the user but `keep`.
    async fn revoke_others(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        keep: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError>;
    /// Active sessions, newest first, one page.
    async fn list_active(
        &self,
        user_id: UserId,
        now: DateTime<Utc>,
        page: &PageRequest<CreatedKey>,
    ) -> Result<Vec<Session>, RepoError>;
    /// Deletes every session of the user (account deletion); rows deleted.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// A personal access token to store.
#[derive(Debug)]
pub struct NewPat<'a> {
    /// Token id.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// Label.
    pub name: &'a str,
    /// What it may do.
    pub scope: Scope,
    /// SHA-256 of the secret.
    pub token_hash: &'a [u8],
    /// Now.
    pub now: DateTime<Utc>,
    /// Expiry, if any.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Personal access tokens (`auth.personal_access_tokens`).
#[async_trait::async_trait]
pub trait PatRepo: Send + Sync {
    /// Stores a token.
    async fn insert(&self, tx: &mut Tx<'_>, pat: &NewPat<'_>) -> Result<(), RepoError>;
    /// A user's tokens, newest first, one page.
    async fn list(
        &self,
        user_id: UserId,
        page: &PageRequest<CreatedKey>,
    ) -> Result<Vec<PersonalAccessToken>, RepoError>;
    /// Deletes one; `false` when the user has no such token.
    async fn delete(&self, user_id: UserId, id: Uuid) -> Result<bool, RepoError>;
    /// Deletes one inside the caller's transaction; `false` when the user has no such token.
    async fn delete_in(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<bool, RepoError>;
    /// One of the user's tokens, locked until the caller's transaction ends.
    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<PersonalAccessToken>, RepoError>;
    /// The unexpired token with this hash, marking it used at `now`.
    async fn use_token(
        &self,
        user_id: UserId,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<PersonalAccessToken>, RepoError>;
    /// Deletes every personal access token of the user (account deletion); rows deleted.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
    /// One of the user's tokens.
    async fn get(
        &self,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<PersonalAccessToken>, RepoError>;
}

/// Password hashing, kept off the async runtime by the implementation.
#[async_trait::async_trait]
pub trait PasswordHasher: Send + Sync {
    /// A PHC hash string of a new password.
    async fn hash(&self, password: &Password) -> Result<String, ApiError>;
    /// Whether `attempt` matches `hash`; with `None`, compares against a dummy
    /// hash so an unknown account costs the same time, and answers `false`.
    async fn verify(&self, attempt: &str, hash: Option<&str>) -> Result<bool, ApiError>;
}

/// Signs and checks access tokens (JWT).
pub trait AccessTokenCodec: Send + Sync {
    /// The signed token.
    fn issue(&self, claims: &AccessClaims) -> Result<String, ApiError>;
    /// The signed token, also carrying the user's IANA time zone as the `tz`
    /// claim when known (for services that do not own profiles).
    fn issue_with_timezone(
        &self,
        claims: &AccessClaims,
        timezone: Option<&str>,
    ) -> Result<String, ApiError>;
    /// The claims of a valid token; 401 for anything else.
    fn verify(&self, token: &str) -> Result<AccessClaims, ApiError>;
}

/// The profile fields a registration may carry, raw: the users module parses them.
#[derive(Clone, Debug, Default)]
pub struct ProfileDraft {
    /// Display name.
    pub display_name: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// ISO 4217 currency.
    pub currency: Option<String>,
}

/// What happens, in the registration's transaction, when an account is created
/// (the binary wires the users module's profile creation here).
#[async_trait::async_trait]
pub trait NewAccountHook: Send + Sync {
    /// Problems with the draft, before anything is written.
    fn check(&self, draft: &ProfileDraft) -> Vec<FieldError>;
    /// Creates what the account needs, inside the registration's transaction.
    async fn created(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        draft: &ProfileDraft,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError>;
}

/// Profile facts an access token carries for other services, answered by the
/// users module (the binary wires it). A change reaches tokens at the next
/// refresh, so services reading them see it within the access-token lifetime.
#[async_trait::async_trait]
pub trait ProfileClaims: Send + Sync {
    /// The user's IANA time zone; `None` when the user has no profile.
    async fn timezone(&self, user_id: UserId) -> Result<Option<String>, ApiError>;
}
