//! Request and response bodies of the `auth` routes.

use crate::application::{CreatedPat, TokenPair};
use crate::domain::{PersonalAccessToken, Session};
use chrono::{DateTime, Utc};
use kernel::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `POST /auth/register`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Email; trimmed and lowercased.
    #[schema(example = "ana@example.com")]
    pub email: String,
    /// 12 to 128 characters; not the email, not a common password.
    #[schema(example = "correct horse battery staple")]
    pub password: String,
    /// Name to show; default none.
    pub display_name: Option<String>,
    /// IANA time zone; default `UTC`.
    #[schema(example = "America/Sao_Paulo")]
    pub timezone: Option<String>,
    /// ISO 4217 currency; default `USD`.
    #[schema(example = "BRL")]
    pub currency: Option<String>,
}

/// `POST /auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `POST /auth/refresh` and `POST /auth/logout`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// A refresh token from register, login or a previous refresh.
    pub refresh_token: String,
}

/// `POST /auth/password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password in force.
    pub current_password: String,
    /// The new one (same policy as registration).
    pub new_password: String,
}

/// `POST /auth/tokens`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// A label, 1–100 characters.
    #[schema(example = "backup script")]
    pub name: String,
    /// `read` (403 on any write) or `read_write`.
    pub scope: Scope,
    /// Days until it expires (1–3650); omit for never.
    pub expires_in_days: Option<i64>,
}

/// Tokens after register, login or refresh.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// The account.
    pub user_id: Uuid,
    /// Bearer token for API calls; short-lived.
    pub access_token: String,
    /// Spend it at `/auth/refresh` for a new pair; single use.
    pub refresh_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until `access_token` expires.
    #[schema(example = 900)]
    pub expires_in: i64,
}

impl From<TokenPair> for TokenResponse {
    fn from(p: TokenPair) -> Self {
        Self {
            user_id: p.user_id.as_uuid(),
            access_token: p.access_token,
            refresh_token: p.refresh_token,
            token_type: "Bearer",
            expires_in: p.expires_in,
        }
    }
}

/// An active login session.
#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    /// Session id.
    pub id: Uuid,
    /// Login time.
    pub created_at: DateTime<Utc>,
    /// Last refresh.
    pub last_used_at: DateTime<Utc>,
    /// When its refresh token lapses unless used.
    pub expires_at: DateTime<Utc>,
    /// Client `User-Agent` at login.
    pub user_agent: Option<String>,
    /// Client address at login.
    pub ip: Option<String>,
    /// Whether this is the session of the calling token.
    pub current: bool,
}

impl SessionResponse {
    /// From a session, marking the caller's own.
    pub fn new(s: Session, current: Option<Uuid>) -> Self {
        Self {
            current: current == Some(s.id),
            id: s.id,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
            expires_at: s.expires_at,
            user_agent: s.user_agent,
            ip: s.ip,
        }
    }
}

/// A personal access token (never its secret).
#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    /// Token id.
    pub id: Uuid,
    /// Label.
    pub name: String,
    /// `read` or `read_write`.
    pub scope: Scope,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Expiry; `null` for never.
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<PersonalAccessToken> for TokenInfo {
    fn from(t: PersonalAccessToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            scope: t.scope,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
        }
    }
}

/// A new personal access token, with its secret shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedTokenResponse {
    /// The token's details.
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The secret; store it now, it is never shown again.
    pub token: String,
}

impl From<CreatedPat> for CreatedTokenResponse {
    fn from(c: CreatedPat) -> Self {
        Self {
            info: c.token.into(),
            token: c.secret,
        }
    }
}
