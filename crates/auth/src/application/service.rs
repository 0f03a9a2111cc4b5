//! The `auth` module's façade: its ports, its policy, and helpers the use cases share.

use super::ports::{
    AccessTokenCodec, CredentialRepo, NewAccountHook, NewSession, PasswordHasher, PatRepo,
    ProfileClaims, SessionRepo,
};
use crate::domain::{AccessClaims, RefreshToken};
use chrono::{DateTime, Duration, Utc};
use kernel::rate_limit::RateLimiter;
use kernel::{ApiError, AuthUser, Clock, Scope, Transactor, Tx, UserId};
use std::sync::Arc;
use uuid::Uuid;

/// Token lifetimes.
#[derive(Clone, Copy, Debug)]
pub struct AuthPolicy {
    /// Access token (JWT) lifetime: also the longest a revoked session's access token keeps working.
    pub access_ttl: Duration,
    /// Refresh token lifetime since its last use (sliding).
    pub refresh_ttl: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(30),
        }
    }
}

/// Rate limiters for credential endpoints: one keyed by client address, one by email.
#[derive(Clone)]
pub struct AuthLimits {
    /// Per client address.
    pub per_ip: Arc<dyn RateLimiter>,
    /// Per email.
    pub per_email: Arc<dyn RateLimiter>,
}

/// Who is asking, for the session record and rate limits.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    /// `User-Agent`, truncated.
    pub user_agent: Option<String>,
    /// Peer address.
    pub ip: Option<String>,
}

/// What a successful register, login or refresh returns.
#[derive(Clone, Debug)]
pub struct TokenPair {
    /// The account.
    pub user_id: UserId,
    /// Access JWT.
    pub access_token: String,
    /// Refresh token (spent on use).
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// The `auth` module's use cases.
#[derive(Clone)]
pub struct AuthService {
    pub(crate) credentials: Arc<dyn CredentialRepo>,
    pub(crate) sessions: Arc<dyn SessionRepo>,
    pub(crate) pats: Arc<dyn PatRepo>,
    pub(crate) hasher: Arc<dyn PasswordHasher>,
    pub(crate) codec: Arc<dyn AccessTokenCodec>,
    pub(crate) transactor: Arc<dyn Transactor>,
    pub(crate) hook: Arc<dyn NewAccountHook>,
    pub(crate) limits: AuthLimits,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) policy: AuthPolicy,
    pub(crate) profile_claims: Option<Arc<dyn ProfileClaims>>,
}

/// Everything [`AuthService`] is built from.
pub struct AuthDeps {
    /// Credentials store.
    pub credentials: Arc<dyn CredentialRepo>,
    /// Sessions store.
    pub sessions: Arc<dyn SessionRepo>,
    /// Personal access tokens store.
    pub pats: Arc<dyn PatRepo>,
    /// Password hashing.
    pub hasher: Arc<dyn PasswordHasher>,
    /// JWT signing and checking.
    pub codec: Arc<dyn AccessTokenCodec>,
    /// Transactions.
    pub transactor: Arc<dyn Transactor>,
    /// Account-creation hook (profile).
    pub hook: Arc<dyn NewAccountHook>,
    /// Rate limits.
    pub limits: AuthLimits,
    /// Now.
    pub clock: Arc<dyn Clock>,
    /// Lifetimes.
    pub policy: AuthPolicy,
}

impl AuthService {
    /// Assembles the service.
    pub fn new(deps: AuthDeps) -> Self {
        Self {
            credentials: deps.credentials,
            sessions: deps.sessions,
            pats: deps.pats,
            hasher: deps.hasher,
            codec: deps.codec,
            transactor: deps.transactor,
            hook: deps.hook,
            limits: deps.limits,
            clock: deps.clock,
            policy: deps.policy,
            profile_claims: None,
        }
    }

    /// Access tokens also carry the user's time zone (`tz`), read from `source`
    /// when a token is minted (registration, login, refresh).
    pub fn with_profile_claims(mut self, source: Arc<dyn ProfileClaims>) -> Self {
        self.profile_claims = Some(source);
        self
    }

    /// The token lifetimes in force.
    pub fn policy(&self) -> AuthPolicy {
        self.policy
    }

    /// Starts a session inside `tx` and returns its refresh token; the caller
    /// mints the pair ([`Self::token_pair`]) once `tx` has committed.
    pub(crate) async fn open_session(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        client: &ClientInfo,
        now: DateTime<Utc>,
    ) -> Result<RefreshToken, ApiError> {
        let session_id = kernel::ids::new_id();
        let refresh = RefreshToken::generate(user_id, session_id);
        self.sessions
            .insert(
                tx,
                &NewSession {
                    id: session_id,
                    user_id,
                    refresh_hash: &refresh.hash(),
                    user_agent: client.user_agent.as_deref(),
                    ip: client.ip.as_deref(),
                    now,
                    expires_at: now + self.policy.refresh_ttl,
                },
            )
            .await?;
        Ok(refresh)
    }

    /// The user's time zone for the `tz` claim. A failure only leaves the claim
    /// out (services then fall back to UTC): it must not fail a login.
    async fn timezone_claim(&self, user_id: UserId) -> Option<String> {
        let source = self.profile_claims.as_ref()?;
        source.timezone(user_id).await.unwrap_or_else(|e| {
            tracing::warn!(%user_id, error = ?e, "time zone unavailable; access token minted without tz");
            None
        })
    }

    /// An access token for the refresh token's session, paired with it.
    pub(crate) async fn token_pair(
        &self,
        refresh: &RefreshToken,
        now: DateTime<Utc>,
    ) -> Result<TokenPair, ApiError> {
        let timezone = self.timezone_claim(refresh.user_id()).await;
        let claims = AccessClaims {
            user_id: refresh.user_id(),
            session_id: refresh.session_id(),
            scope: Scope::ReadWrite,
            token_id: Uuid::now_v7(),
            issued_at: now,
            expires_at: now + self.policy.access_ttl,
        };
        Ok(TokenPair {
            user_id: refresh.user_id(),
            access_token: self
                .codec
                .issue_with_timezone(&claims, timezone.as_deref())?,
            refresh_token: refresh.encode(),
            expires_in: self.policy.access_ttl.num_seconds(),
        })
    }
}

/// The one answer to every failed credential check.
pub(crate) fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("Invalid email or password.".into())
}

/// Credential management needs a login session, not a script's token.
pub(crate) fn require_session(user: &AuthUser) -> Result<Uuid, ApiError> {
    user.session_id.ok_or_else(|| {
        ApiError::Forbidden(
            "This needs a login session; personal access tokens cannot manage credentials.".into(),
        )
    })
}
