//! A new password, checked against the password policy.

use super::{Email, common_passwords};
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// A password that satisfies the policy for new passwords: 12–128
/// characters (Unicode scalar values), any characters, no composition rules;
/// not the user's email address or its local part, and not one of the 1,000
/// most common passwords (both compared case-insensitively).
///
/// The secret is zeroed on drop and never printed: `Debug` shows
/// `Password(***)`, and there is no `Display` or `Serialize`.
#[derive(Clone)]
pub struct Password(SecretString);

/// Why a string is not an acceptable new [`Password`]. Messages are shown to
/// the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`Password::MIN_CHARS`] characters.
    #[error("must be at least 12 characters")]
    TooShort,
    /// More than [`Password::MAX_CHARS`] characters.
    #[error("must be at most 128 characters")]
    TooLong,
    /// The email address, or the part of it before the `@`.
    #[error("must not be your email address or the part before the @")]
    MatchesEmail,
    /// On the common-password list.
    #[error("is too common; choose one that is harder to guess")]
    TooCommon,
}

impl Password {
    /// Fewest characters accepted.
    pub const MIN_CHARS: usize = 12;
    /// Most characters accepted.
    pub const MAX_CHARS: usize = 128;

    /// Checks `raw` (taken as is: no trimming) against the policy for the
    /// account identified by `email`.
    pub fn new(raw: &str, email: &Email) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let folded = Zeroizing::new(raw.to_lowercase());
        if *folded == email.as_str() || *folded == email.local_part() {
            return Err(PasswordError::MatchesEmail);
        }
        if common_passwords::contains(&folded) {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// The secret, for hashing. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("ana.souza@example.com").unwrap()
    }

    #[test]
    fn accepts_long_enough_uncommon_passwords() {
        for raw in [
            "correct horse battery staple",
            "abcdefghijkl",
            "            ",
            "ação-e-reação",
            "🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉",
            " padded password ",
        ] {
            let password = Password::new(raw, &email()).unwrap();
            assert_eq!(password.expose(), raw, "kept exactly as typed");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let eleven_dragons = "🐉".repeat(11);
        assert_eq!(eleven_dragons.len(), 44);
        assert_eq!(
            Password::new(&eleven_dragons, &email()).unwrap_err(),
            PasswordError::TooShort
        );
        assert!(Password::new(&"é".repeat(128), &email()).is_ok());
        assert_eq!(
            Password::new(&"é".repeat(129), &email()).unwrap_err(),
            PasswordError::TooLong
        );
    }

    #[test]
    fn enforces_bounds() {
        assert_eq!(
            Password::new("", &email()).unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            Password::new("abcdefghijk", &email()).unwrap_err(),
            PasswordError::TooShort
        );
        assert!(Password::new("abcdefghijkl", &email()).is_ok());
        assert!(Password::new(&"x".repeat(128), &email()).is_ok());
        assert_eq!(
            Password::new(&"x".repeat(129), &email()).unwrap_err(),
            PasswordError::TooLong
        );
    }

    #[test]
    fn rejects_the_email_and_its_local_part_case_insensitively() {
        for raw in [
            "ana.souza@example.com",
            "Ana.Souza@Example.COM",
            "ANA.SOUZA@EXAMPLE.COM",
        ] {
            assert_eq!(
                Password::new(raw, &email()).unwrap_err(),
                PasswordError::MatchesEmail
            );
        }
        let long_local = Email::parse("someone.special@example.com").unwrap();
        for raw in ["someone.special", "SomeOne.Special"] {
            assert_eq!(
                Password::new(raw, &long_local).unwrap_err(),
                PasswordError::MatchesEmail
            );
        }
        assert!(Password::new("someone.special!", &long_local).is_ok());
    }

    #[test]
    fn rejects_common_passwords_case_insensitively() {
        for raw in [
            "qwerty123456",
            "QWERTY123456",
            "1qaz2wsx3edc",
            "q1w2e3r4t5y6",
            "Startfinding",
        ] {
            assert_eq!(
                Password::new(raw, &email()).unwrap_err(),
                PasswordError::TooCommon,
                "{raw}"
            );
        }
    }

    #[test]
    fn short_common_passwords_fail_on_length_first() {
        assert_eq!(
            Password::new("password", &email()).unwrap_err(),
            PasswordError::TooShort
        );
    }

    #[test]
    fn debug_is_redacted() {
        let password = Password::new("correct horse battery staple", &email()).unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
        assert_eq!(format!("{password:#?}"), "Password(***)");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Form {
            password: Password,
        }
        let shown = format!("{:?}", Form { password });
        assert!(!shown.contains("horse"), "{shown}");
    }

    #[test]
    fn error_messages_are_user_facing() {
        assert_eq!(
            PasswordError::TooShort.to_string(),
            "must be at least 12 characters"
        );
        assert_eq!(
            PasswordError::TooLong.to_string(),
            "must be at most 128 characters"
        );
        assert_eq!(
            PasswordError::MatchesEmail.to_string(),
            "must not be your email address or the part before the @"
        );
        assert_eq!(
            PasswordError::TooCommon.to_string(),
            "is too common; choose one that is harder to guess"
        );
    }
}
