//! The name a user is shown by.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A display name: trimmed, 1–100 characters (Unicode scalar values, not
/// bytes), no control characters (tabs and newlines included).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

/// Why a string is not a [`DisplayName`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    /// Empty or only whitespace.
    #[error("must not be empty")]
    Empty,
    /// Longer than [`DisplayName::MAX_CHARS`] once trimmed.
    #[error("must be at most 100 characters")]
    TooLong,
    /// Contains a control character.
    #[error("must not contain control characters")]
    ControlCharacter,
}

impl DisplayName {
    /// Longest accepted name, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Trims surrounding whitespace, then checks length and characters.
    pub fn parse(raw: &str) -> Result<Self, DisplayNameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(DisplayNameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(DisplayNameError::ControlCharacter);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DisplayName {
    type Err = DisplayNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DisplayName {
    type Error = DisplayNameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_trims() {
        assert_eq!(DisplayName::parse("Ana").unwrap().as_str(), "Ana");
        assert_eq!(
            DisplayName::parse("  Ana Souza \n").unwrap().as_str(),
            "Ana Souza"
        );
        assert_eq!(
            DisplayName::parse("\u{3000}José\u{a0}").unwrap().as_str(),
            "José"
        );
        assert_eq!(DisplayName::parse("x").unwrap().as_str(), "x");
        assert_eq!(
            DisplayName::parse("李小龍 🐉").unwrap().as_str(),
            "李小龍 🐉"
        );
    }

    #[test]
    fn rejects_empty_and_blank() {
        for raw in ["", " ", "\t\n", "\u{3000}"] {
            assert_eq!(
                DisplayName::parse(raw),
                Err(DisplayNameError::Empty),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let hundred_multibyte = "é".repeat(100);
        assert_eq!(hundred_multibyte.len(), 200);
        assert!(DisplayName::parse(&hundred_multibyte).is_ok());
        assert!(DisplayName::parse(&"🐉".repeat(100)).is_ok());
        assert_eq!(
            DisplayName::parse(&"é".repeat(101)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(
            DisplayName::parse(&"a".repeat(101)),
            Err(DisplayNameError::TooLong)
        );
    }

    #[test]
    fn length_is_measured_after_trimming() {
        let padded = format!("   {}   ", "a".repeat(100));
        assert_eq!(DisplayName::parse(&padded).unwrap().as_str().len(), 100);
    }

    #[test]
    fn rejects_control_characters_inside() {
        for raw in [
            "Ana\nSouza",
            "Ana\tSouza",
            "Ana\u{0}",
            "Ana\u{7f}x",
            "Ana\u{85}x",
            "\u{1b}[31mAna",
        ] {
            assert_eq!(
                DisplayName::parse(raw),
                Err(DisplayNameError::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn display_and_conversions() {
        let name: DisplayName = " Ana ".parse().unwrap();
        assert_eq!(name.to_string(), "Ana");
        assert_eq!(String::from(name), "Ana");
    }

    #[test]
    fn serde_round_trip_as_trimmed_string() {
        let name: DisplayName = serde_json::from_str(r#"" Ana Souza ""#).unwrap();
        assert_eq!(name.as_str(), "Ana Souza");
        let json = serde_json::to_string(&name).unwrap();
        assert_eq!(json, r#""Ana Souza""#);
        assert_eq!(serde_json::from_str::<DisplayName>(&json).unwrap(), name);
        assert!(serde_json::from_str::<DisplayName>(r#""  ""#).is_err());
        assert!(serde_json::from_str::<DisplayName>(r#""a\u0007b""#).is_err());
    }

    #[test]
    fn error_messages_are_user_facing() {
        assert_eq!(DisplayNameError::Empty.to_string(), "must not be empty");
        assert_eq!(
            DisplayNameError::TooLong.to_string(),
            "must be at most 100 characters"
        );
        assert_eq!(
            DisplayNameError::ControlCharacter.to_string(),
            "must not contain control characters"
        );
    }
}
