//! A password as typed at login, before it is checked against a hash.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// A password offered to prove identity (login, confirming a deletion, the
/// current password when changing it). No policy applies, only a size cap so
/// that hashing cost stays bounded. Zeroed on drop; `Debug` shows
/// `PlainPassword(***)`; no `Display` or `Serialize`.
#[derive(Clone)]
pub struct PlainPassword(SecretString);

/// Why a string is not a [`PlainPassword`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlainPasswordError {
    /// More than [`PlainPassword::MAX_BYTES`] bytes of UTF-8.
    #[error("must be at most 1024 bytes")]
    TooLong,
}

impl PlainPassword {
    /// Largest accepted password, in bytes.
    pub const MAX_BYTES: usize = 1024;

    /// Wraps `raw` as is (no trimming; empty is allowed and simply fails to
    /// verify).
    pub fn parse(raw: &str) -> Result<Self, PlainPasswordError> {
        if raw.len() > Self::MAX_BYTES {
            return Err(PlainPasswordError::TooLong);
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// The secret, for verification against a stored hash. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for PlainPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_anything_up_to_the_cap_unchanged() {
        for raw in ["", "x", "password", "  spaced  ", "ação", "\u{0}\t\n"] {
            assert_eq!(PlainPassword::parse(raw).unwrap().expose(), raw);
        }
        let max = "a".repeat(1024);
        assert_eq!(PlainPassword::parse(&max).unwrap().expose(), max);
    }

    #[test]
    fn cap_counts_bytes() {
        assert_eq!(
            PlainPassword::parse(&"a".repeat(1025)).unwrap_err(),
            PlainPasswordError::TooLong
        );
        // 513 two-byte characters are 1,026 bytes.
        assert_eq!(
            PlainPassword::parse(&"é".repeat(513)).unwrap_err(),
            PlainPasswordError::TooLong
        );
        assert!(PlainPassword::parse(&"é".repeat(512)).is_ok());
    }

    #[test]
    fn debug_is_redacted() {
        let password = PlainPassword::parse("hunter2").unwrap();
        assert_eq!(format!("{password:?}"), "PlainPassword(***)");
        assert!(!format!("{:?}", Some(password)).contains("hunter2"));
    }

    #[test]
    fn error_message_is_user_facing() {
        assert_eq!(
            PlainPasswordError::TooLong.to_string(),
            "must be at most 1024 bytes"
        );
    }
}
