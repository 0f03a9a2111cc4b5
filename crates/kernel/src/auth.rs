//! Who is calling. The `auth` module verifies credentials; every other module
//! only sees an [`AuthUser`], extracted in `http` through a [`TokenVerifier`]
//! that the binary installs.

use crate::error::ApiError;
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a credential may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub enum Scope {
    /// Reads only: any write answers 403.
    Read,
    /// Reads and writes.
    ReadWrite,
}

impl Scope {
    /// Whether this scope allows changing data.
    pub fn can_write(self) -> bool {
        matches!(self, Self::ReadWrite)
    }
}

/// The authenticated caller of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUser {
    /// Whose data this request may touch.
    pub user_id: UserId,
    /// What the credential may do.
    pub scope: Scope,
    /// The login session behind an access token; `None` for a personal access token.
    pub session_id: Option<Uuid>,
}

/// Turns a bearer credential into an [`AuthUser`]. Implemented by the `auth`
/// module (JWT and personal access tokens); installed by the binary as
/// `web::Data<dyn TokenVerifier>`.
#[async_trait::async_trait]
pub trait TokenVerifier: Send + Sync + 'static {
    /// Verifies `token` (without the `Bearer ` prefix). Any failure is 401
    /// (`ApiError::Unauthorized`), or 503 when the check needs an unreachable database.
    async fn verify(&self, token: &str) -> Result<AuthUser, ApiError>;
}
