//! Opaque secrets handed to clients: refresh tokens and personal access
//! tokens. Each carries the owner's id in clear (so every lookup can filter by
//! `user_id`, RULES R7) and 256 random bits; only a SHA-256 hash of the random
//! part is stored.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kernel::UserId;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use std::fmt;
use uuid::Uuid;

const REFRESH_PREFIX: &str = "rt_";
const PAT_PREFIX: &str = "mya_pat_";

fn random_secret() -> [u8; 32] {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    secret
}

fn digest(secret: &[u8; 32]) -> Vec<u8> {
    Sha256::digest(secret).to_vec()
}

fn uuid_at(bytes: &[u8], at: usize) -> Option<Uuid> {
    Some(Uuid::from_bytes(bytes.get(at..at + 16)?.try_into().ok()?))
}

/// A refresh token: user id, session id, secret. Spent on use (rotation).
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken {
    user_id: UserId,
    session_id: Uuid,
    secret: [u8; 32],
}

impl RefreshToken {
    /// A fresh token for a session.
    pub fn generate(user_id: UserId, session_id: Uuid) -> Self {
        Self {
            user_id,
            session_id,
            secret: random_secret(),
        }
    }

    /// Parses a token a client sent; `None` when it is not one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.strip_prefix(REFRESH_PREFIX)?)
            .ok()?;
        if bytes.len() != 64 {
            return None;
        }
        Some(Self {
            user_id: UserId::from_uuid(uuid_at(&bytes, 0)?),
            session_id: uuid_at(&bytes, 16)?,
            secret: bytes.get(32..)?.try_into().ok()?,
        })
    }

    /// The string given to the client.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(self.user_id.as_uuid().as_bytes());
        bytes.extend_from_slice(self.session_id.as_bytes());
        bytes.extend_from_slice(&self.secret);
        format!("{REFRESH_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The owner.
    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// The session this token belongs to.
    pub fn session_id(&self) -> Uuid {
        self.session_id
    }

    /// What is stored: SHA-256 of the secret.
    pub fn hash(&self) -> Vec<u8> {
        digest(&self.secret)
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RefreshToken({}, {}, ***)",
            self.user_id, self.session_id
        )
    }
}

/// A personal access token's secret: user id and 256 random bits.
#[derive(Clone, PartialEq, Eq)]
pub struct PatSecret {
    user_id: UserId,
    secret: [u8; 32],
}

impl PatSecret {
    /// A fresh secret.
    pub fn generate(user_id: UserId) -> Self {
        Self {
            user_id,
            secret: random_secret(),
        }
    }

    /// Whether a bearer credential looks like a personal access token.
    pub fn looks_like(raw: &str) -> bool {
        raw.starts_with(PAT_PREFIX)
    }

    /// Parses a token a client sent; `None` when it is not one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(raw.strip_prefix(PAT_PREFIX)?).ok()?;
        if bytes.len() != 48 {
            return None;
        }
        Some(Self {
            user_id: UserId::from_uuid(uuid_at(&bytes, 0)?),
            secret: bytes.get(16..)?.try_into().ok()?,
        })
    }

    /// The string shown to the user once.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(48);
        bytes.extend_from_slice(self.user_id.as_uuid().as_bytes());
        bytes.extend_from_slice(&self.secret);
        format!("{PAT_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The owner.
    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// What is stored: SHA-256 of the secret.
    pub fn hash(&self) -> Vec<u8> {
        digest(&self.secret)
    }
}

impl fmt::Debug for PatSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PatSecret({}, ***)", self.user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_round_trip_and_differ() {
        let user = UserId::generate();
        let session = Uuid::now_v7();
        let a = RefreshToken::generate(user, session);
        let b = RefreshToken::generate(user, session);
        assert_ne!(a.encode(), b.encode());
        assert_ne!(a.hash(), b.hash());
        let parsed = RefreshToken::parse(&a.encode()).unwrap();
        assert_eq!(parsed, a);
        assert_eq!(parsed.user_id(), user);
        assert_eq!(parsed.session_id(), session);
        assert_eq!(parsed.hash().len(), 32);
    }

    #[test]
    fn pats_round_trip() {
        let user = UserId::generate();
        let pat = PatSecret::generate(user);
        let raw = pat.encode();
        assert!(PatSecret::looks_like(&raw));
        assert_eq!(PatSecret::parse(&raw).unwrap(), pat);
    }

    #[test]
    fn foreign_strings_are_not_tokens() {
        let pat = PatSecret::generate(UserId::generate()).encode();
        let refresh = RefreshToken::generate(UserId::generate(), Uuid::nil()).encode();
        for bad in ["", "rt_", "rt_!!!", "mya_pat_abc", "eyJhbGciOi.x.y", &pat] {
            assert!(RefreshToken::parse(bad).is_none(), "{bad}");
        }
        for bad in ["", "mya_pat_", &refresh, &refresh[..refresh.len() - 2]] {
            assert!(PatSecret::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn secrets_never_print() {
        let refresh = RefreshToken::generate(UserId::generate(), Uuid::nil());
        let pat = PatSecret::generate(UserId::generate());
        assert!(!format!("{refresh:?}").contains(&refresh.encode()[10..]));
        assert!(format!("{pat:?}").ends_with("***)"));
    }
}
