//! Access tokens: JWTs signed with EdDSA (Ed25519), so any service holding the
//! public key can verify them. Only `EdDSA` is accepted; time checks use the
//! module's clock.

use crate::application::AccessTokenCodec;
use crate::domain::AccessClaims;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use kernel::{ApiError, Clock, Scope, UserId};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

const ISSUER: &str = "my-agent";
/// Clock skew tolerated between services, in seconds.
const LEEWAY_SECS: i64 = 5;

/// PEM-encoded Ed25519 keys. Without the private key the codec verifies only.
#[derive(Clone, Debug)]
pub struct JwtKeys {
    /// PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`).
    pub private_pem: Option<SecretString>,
    /// SPKI public key (`-----BEGIN PUBLIC KEY-----`).
    pub public_pem: String,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: Uuid,
    sid: Uuid,
    jti: Uuid,
    scope: Scope,
    iat: i64,
    nbf: i64,
    exp: i64,
    /// The user's IANA time zone, for services that do not own profiles;
    /// absent from older tokens, which still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tz: Option<String>,
}

/// Signs and verifies access tokens.
#[derive(Clone)]
pub struct JwtCodec {
    encoding: Option<Arc<EncodingKey>>,
    decoding: Arc<DecodingKey>,
    validation: Arc<Validation>,
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
        let decoding = DecodingKey::from_ed_pem(keys.public_pem.as_bytes())
            .map_err(|e| anyhow::anyhow!("invalid Ed25519 public key: {e}"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "sub", "iss"]);
        // Times are checked below against the module's clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let codec = Self {
            encoding,
            decoding: Arc::new(decoding),
            validation: Arc::new(validation),
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
        let body = Claims {
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
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| unauthorized("The access token is invalid."))?;
        let c = data.claims;
        let now = self.clock.now().timestamp();
        if c.exp <= now - LEEWAY_SECS {
            return Err(unauthorized("The access token has expired; refresh it."));
        }
        if c.nbf > now + LEEWAY_SECS {
            return Err(unauthorized("The access token is not valid yet."));
        }
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
