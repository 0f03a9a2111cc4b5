//! Turning a bearer credential into the caller: an access JWT (checked with
//! the public key alone) or a personal access token (checked against its hash).

use super::service::AuthService;
use crate::domain::PatSecret;
use kernel::auth::TokenVerifier;
use kernel::{ApiError, AuthUser};

#[async_trait::async_trait]
impl TokenVerifier for AuthService {
    async fn verify(&self, token: &str) -> Result<AuthUser, ApiError> {
        if PatSecret::looks_like(token) {
            let invalid =
                || ApiError::Unauthorized("The access token is invalid or expired.".into());
            let secret = PatSecret::parse(token).ok_or_else(invalid)?;
            let pat = self
                .pats
                .use_token(secret.user_id(), &secret.hash(), self.clock.now())
                .await?
                .ok_or_else(invalid)?;
            return Ok(AuthUser {
                user_id: pat.user_id,
                scope: pat.scope,
                session_id: None,
            });
        }
        let claims = self.codec.verify(token)?;
        Ok(AuthUser {
            user_id: claims.user_id,
            scope: claims.scope,
            session_id: Some(claims.session_id),
        })
    }
}
