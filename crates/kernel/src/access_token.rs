//! The access token's wire format, shared by its issuer (the auth module) and
//! every service that verifies it with the public key alone: a JWT signed with
//! EdDSA (Ed25519), issuer `my-agent`, `exp`/`nbf` checked against the
//! caller's clock with [`LEEWAY_SECS`] of skew. Only `EdDSA` is accepted.

use crate::{ApiError, Clock, Scope};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

/// The issuer every access token names.
pub const ISSUER: &str = "my-agent";
/// Clock skew tolerated between services, in seconds.
pub const LEEWAY_SECS: i64 = 5;

/// What an access token says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    /// Always [`ISSUER`].
    pub iss: String,
    /// The user.
    pub sub: Uuid,
    /// The login session.
    pub sid: Uuid,
    /// This token.
    pub jti: Uuid,
    /// What it may do.
    pub scope: Scope,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not before (Unix seconds).
    pub nbf: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// The user's IANA time zone, for services that do not own profiles;
    /// absent from older tokens, which still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

/// Checks access tokens with the Ed25519 public key.
pub struct AccessTokenVerifier {
    decoding: DecodingKey,
    validation: Validation,
    clock: Arc<dyn Clock>,
}

impl AccessTokenVerifier {
    /// A verifier over a PEM (SPKI) Ed25519 public key, checking times against `clock`.
    pub fn new(public_pem: &str, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let decoding = DecodingKey::from_ed_pem(public_pem.as_bytes())
            .map_err(|e| anyhow::anyhow!("invalid Ed25519 public key: {e}"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "sub", "iss"]);
        // Times are checked in `verify`, against the caller's clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Self {
            decoding,
            validation,
            clock,
        })
    }

    /// The token's claims when its signature, issuer and times hold; 401 otherwise.
    pub fn verify(&self, token: &str) -> Result<AccessTokenClaims, ApiError> {
        let unauthorized = |detail: &str| ApiError::Unauthorized(detail.to_owned());
        let claims = decode::<AccessTokenClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| unauthorized("The access token is invalid."))?
            .claims;
        let now = self.clock.now().timestamp();
        if claims.exp <= now - LEEWAY_SECS {
            return Err(unauthorized("The access token has expired; refresh it."));
        }
        if claims.nbf > now + LEEWAY_SECS {
            return Err(unauthorized("The access token is not valid yet."));
        }
        Ok(claims)
    }
}
