//! Access tokens: JWTs signed with EdDSA (Ed25519), so any service holding the
//! public key can verify them (the format and its checks are
//! [`kernel::access_token`]'s); time checks use the module's clock.

use crate::application::AccessTokenCodec;
use crate::domain::AccessClaims;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use kernel::access_token::{AccessTokenClaims, AccessTokenVerifier, ISSUER};
use kernel::{ApiError, Clock, Scope, UserId};
use secrecy::{ExposeSecret as _, SecretString};
use std::sync::Arc;
use uuid::Uuid;

/// PEM-encoded Ed25519 keys. Without the private key the codec verifies only.
#[derive(Clone, Debug)]
pub struct JwtKeys {
    /// PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`).
    pub private_pem: Option<SecretString>,
    /// SPKI public key (`-----BEGIN PUBLIC KEY-----`).
    pub public_pem: String,
}

/// Signs and verifies access tokens.
#[derive(Clone)]
pub struct JwtCodec {
    encoding: Option<Arc<EncodingKey>>,
    verifier: Arc<AccessTokenVerifier>,
    clock: Arc<dyn Clock>,
}

impl JwtCodec {
    /// A codec over these keys.
    pub fn new(keys: &JwtKeys, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let encoding = keys
            .private_pem
            .as_ref()
            .map(|pem| EncodingKey::from_ed_pem(pem.expose_secret().as_bytes()))
            .transpose()
            .map_err(|e| anyhow::anyhow!("invalid Ed25519 private key: {e}"))?
            .map(Arc::new);
        let verifier = AccessTokenVerifier::new(&keys.public_pem, clock.clone())?;
        let codec = Self {
            encoding,
            verifier: Arc::new(verifier),
            clock,
        };
        codec.self_check()?;
        Ok(codec)
    }

    /// Fails when the private key does not match the public key.
    fn self_check(&self) -> anyhow::Result<()> {
        if self.encoding.is_none() {
            return Ok(());
        }
        let now = self.clock.now();
        let claims = AccessClaims {
            user_id: UserId::from_uuid(Uuid::nil()),
            session_id: Uuid::nil(),
            scope: Scope::Read,
            token_id: Uuid::nil(),
            issued_at: now,
            expires_at: now + Duration::minutes(1),
        };
        let token = self.issue(&claims).map_err(|e| anyhow::anyhow!("{e}"))?;
        self.verify(&token)
            .map(|_| ())
            .map_err(|_| anyhow::anyhow!("the JWT private key does not match the public key"))
    }
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::Unauthorized(detail.to_owned())
}

fn at(secs: i64) -> Result<DateTime<Utc>, ApiError> {
    DateTime::from_timestamp(secs, 0).ok_or_else(|| unauthorized("The access token is invalid."))
}

impl AccessTokenCodec for JwtCodec {
    fn issue(&self, claims: &AccessClaims) -> Result<String, ApiError> {
        self.issue_with_timezone(claims, None)
    }

    fn issue_with_timezone(
        &self,
        claims: &AccessClaims,
        timezone: Option<&str>,
    ) -> Result<String, ApiError> {
        let key = self.encoding.as_ref().ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!("this service has no JWT private key"))
        })?;
        let body = AccessTokenClaims {
            iss: ISSUER.to_owned(),
            sub: claims.user_id.as_uuid(),
            sid: claims.session_id,
            jti: claims.token_id,
            scope: claims.scope,
            iat: claims.issued_at.timestamp(),
            nbf: claims.issued_at.timestamp(),
            exp: claims.expires_at.timestamp(),
            tz: timezone.map(str::to_owned),
        };
        encode(&Header::new(Algorithm::EdDSA), &body, key)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("signing a JWT: {e}")))
    }

    fn verify(&self, token: &str) -> Result<AccessClaims, ApiError> {
        let c = self.verifier.verify(token)?;
        Ok(AccessClaims {
            user_id: UserId::from_uuid(c.sub),
            session_id: c.sid,
            scope: c.scope,
            token_id: c.jti,
            issued_at: at(c.iat)?,
            expires_at: at(c.exp)?,
        })
    }
}
