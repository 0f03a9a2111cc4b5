//! Refresh (with rotation and reuse detection), logout, and session management.

use super::ports::CreatedKey;
use super::service::{AuthService, TokenPair, require_session};
use crate::domain::{RefreshToken, Session};
use kernel::pagination::{Page, PageRequest};
use kernel::{ApiError, AuthUser};
use uuid::Uuid;

fn invalid_refresh() -> ApiError {
    ApiError::Unauthorized("The refresh token is invalid, expired or revoked; log in again.".into())
}

impl AuthService {
    /// Spends a refresh token for a new pair. Presenting a token that was
    /// already spent revokes its whole session (it may have been stolen).
    pub async fn refresh(&self, raw: &str) -> Result<TokenPair, ApiError> {
        let token = RefreshToken::parse(raw).ok_or_else(invalid_refresh)?;
        let (user_id, session_id) = (token.user_id(), token.session_id());
        let now = self.clock.now();
        let session = self
            .sessions
            .get(user_id, session_id)
            .await?
            .filter(|s| s.is_active(now))
            .ok_or_else(invalid_refresh)?;
        let next = RefreshToken::generate(user_id, session.id);
        let rotated = self
            .sessions
            .rotate(
                user_id,
                session.id,
                &token.hash(),
                &next.hash(),
                now,
                now + self.policy.refresh_ttl,
            )
            .await?;
        if !rotated {
            self.sessions.revoke(user_id, session.id, now).await?;
            tracing::warn!(%user_id, %session_id, "spent refresh token presented again; session revoked");
            return Err(invalid_refresh());
        }
        self.token_pair(&next, now).await
    }

    /// Revokes the session of a refresh token the caller owns. Idempotent.
    pub async fn logout(&self, user: &AuthUser, raw: &str) -> Result<(), ApiError> {
        let token = RefreshToken::parse(raw)
            .ok_or_else(|| ApiError::field("refresh_token", "is not a refresh token"))?;
        if token.user_id() == user.user_id {
            self.sessions
                .revoke(user.user_id, token.session_id(), self.clock.now())
                .await?;
        }
        Ok(())
    }

    /// The caller's active sessions, newest first.
    pub async fn list_sessions(
        &self,
        user: &AuthUser,
        page: &PageRequest<CreatedKey>,
    ) -> Result<Page<Session>, ApiError> {
        let rows = self
            .sessions
            .list_active(user.user_id, self.clock.now(), page)
            .await?;
        Ok(Page::from_rows(rows, page.limit, |s| (s.created_at, s.id)))
    }

    /// Revokes one of the caller's sessions; 404 when there is no such active session.
    pub async fn revoke_session(&self, user: &AuthUser, id: Uuid) -> Result<(), ApiError> {
        require_session(user)?;
        if self
            .sessions
            .revoke(user.user_id, id, self.clock.now())
            .await?
        {
            Ok(())
        } else {
            Err(ApiError::NotFound)
        }
    }
}
