//! The secret of a user's ICS feed URL. It carries the owner's id in clear
//! (so the lookup filters by `user_id`, RULES R7) and 256 random bits; only a
//! SHA-256 hash of the random part is stored.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kernel::UserId;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use std::fmt;
use uuid::Uuid;

const PREFIX: &str = "cal_";

/// A feed token: user id and secret.
#[derive(Clone, PartialEq, Eq)]
pub struct FeedToken {
    user_id: UserId,
    secret: [u8; 32],
}

impl FeedToken {
    /// A fresh token.
    pub fn generate(user_id: UserId) -> Self {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        Self { user_id, secret }
    }

    /// Parses a token from a URL; `None` when it is not one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.trim().strip_prefix(PREFIX)?)
            .ok()?;
        if bytes.len() != 48 {
            return None;
        }
        Some(Self {
            user_id: UserId::from_uuid(Uuid::from_bytes(bytes.get(..16)?.try_into().ok()?)),
            secret: bytes.get(16..)?.try_into().ok()?,
        })
    }

    /// The string put in the feed URL (URL-safe).
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(48);
        bytes.extend_from_slice(self.user_id.as_uuid().as_bytes());
        bytes.extend_from_slice(&self.secret);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The owner.
    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// What is stored: SHA-256 of the secret.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.secret).to_vec()
    }
}

impl fmt::Debug for FeedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FeedToken({}, ***)", self.user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_differ() {
        let user = UserId::generate();
        let a = FeedToken::generate(user);
        let b = FeedToken::generate(user);
        assert_ne!(a.encode(), b.encode());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(FeedToken::parse(&a.encode()).unwrap(), a);
        assert_eq!(a.hash().len(), 32);
        assert!(
            a.encode()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert!(!format!("{a:?}").contains(&a.encode()[8..]));
    }

    #[test]
    fn foreign_strings_are_not_tokens() {
        let good = FeedToken::generate(UserId::generate()).encode();
        for bad in ["", "cal_", "cal_!!", "mya_pat_x", &good[..good.len() - 2]] {
            assert!(FeedToken::parse(bad).is_none(), "{bad}");
        }
    }
}
