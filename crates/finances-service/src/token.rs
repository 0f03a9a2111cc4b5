//! Access tokens checked with the Ed25519 public key alone, by the rules of
//! [`kernel::access_token`] (the auth module issues them by the same).
//! Personal access tokens need the auth tables, so they are refused here.

use crate::request_claims;
use kernel::access_token::AccessTokenVerifier;
use kernel::auth::TokenVerifier;
use kernel::{ApiError, AuthUser, Clock, UserId};
use std::sync::Arc;

/// How personal access tokens start (they are checked against auth's tables).
const PAT_PREFIX: &str = "mya_pat_";

/// Verifies access JWTs with the public key and records the caller's `tz`
/// claim for the request ([`request_claims`]).
pub struct PublicKeyVerifier {
    tokens: AccessTokenVerifier,
}

impl PublicKeyVerifier {
    /// A verifier over a PEM (SPKI) Ed25519 public key.
    pub fn new(public_pem: &str, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        Ok(Self {
            tokens: AccessTokenVerifier::new(public_pem, clock)?,
        })
    }
}

#[async_trait::async_trait]
impl TokenVerifier for PublicKeyVerifier {
    async fn verify(&self, token: &str) -> Result<AuthUser, ApiError> {
        if token.starts_with(PAT_PREFIX) {
            return Err(ApiError::Unauthorized(
                "Personal access tokens are not accepted by this service; use an access token."
                    .to_owned(),
            ));
        }
        let claims = self.tokens.verify(token)?;
        let user_id = UserId::from_uuid(claims.sub);
        request_claims::record(user_id, claims.tz);
        Ok(AuthUser {
            user_id,
            scope: claims.scope,
            session_id: Some(claims.sid),
        })
    }
}
