//! Access tokens checked with the Ed25519 public key alone: the same claims
//! and rules as the auth module's codec (`crates/auth/src/infra/jwt.rs`):
//! `EdDSA` only, issuer `my-agent`, `exp`/`nbf` against the clock with 5 s of
//! leeway. Personal access tokens need the auth tables, so they are refused here.

use crate::request_claims;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use kernel::auth::TokenVerifier;
use kernel::{ApiError, AuthUser, Clock, Scope, UserId};
use serde::Deserialize;
use std::sync::Arc;
use uuid::Uuid;

/// The issuer auth signs with.
const ISSUER: &str = "my-agent";
/// Clock skew tolerated between services, in seconds (as auth).
const LEEWAY_SECS: i64 = 5;
/// How personal access tokens start (they are checked against auth's tables).
const PAT_PREFIX: &str = "mya_pat_";

/// What an access token says; `tz` is absent from tokens minted before it existed.
#[derive(Deserialize)]
struct Claims {
    sub: Uuid,
    sid: Uuid,
    #[serde(rename = "jti")]
    _token_id: Uuid,
    scope: Scope,
    nbf: i64,
    exp: i64,
    #[serde(default)]
    tz: Option<String>,
}

/// Verifies access JWTs with the public key and records the caller's `tz`
/// claim for the request ([`request_claims`]).
pub struct PublicKeyVerifier {
    decoding: DecodingKey,
    validation: Validation,
    clock: Arc<dyn Clock>,
}

impl PublicKeyVerifier {
    /// A verifier over a PEM (SPKI) Ed25519 public key.
    pub fn new(public_pem: &str, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let decoding = DecodingKey::from_ed_pem(public_pem.as_bytes())
            .map_err(|e| anyhow::anyhow!("invalid Ed25519 public key: {e}"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "sub", "iss"]);
        // Times are checked below against the service's clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Self {
            decoding,
            validation,
            clock,
        })
    }

    fn claims(&self, token: &str) -> Result<Claims, ApiError> {
        let unauthorized = |detail: &str| ApiError::Unauthorized(detail.to_owned());
        if token.starts_with(PAT_PREFIX) {
            return Err(unauthorized(
                "Personal access tokens are not accepted by this service; use an access token.",
            ));
        }
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
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

#[async_trait::async_trait]
impl TokenVerifier for PublicKeyVerifier {
    async fn verify(&self, token: &str) -> Result<AuthUser, ApiError> {
        let claims = self.claims(token)?;
        let user_id = UserId::from_uuid(claims.sub);
        request_claims::record(user_id, claims.tz);
        Ok(AuthUser {
            user_id,
            scope: claims.scope,
            session_id: Some(claims.sid),
        })
    }
}
