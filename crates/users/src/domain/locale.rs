//! A user's locale: a BCP 47 language tag.

use icu_locale_core::LanguageIdentifier;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`, `es-419`), kept in
/// canonical form: language lowercase, script Titlecase, region uppercase,
/// variants lowercase, sorted and deduplicated.
///
/// Structure accepted (a Unicode BCP 47 language identifier, UTS #35, parsed
/// by ICU4X): language (2–3 letters), then optionally a script (4 letters), a
/// region (2 letters or 3 digits) and distinct variants (5–8 alphanumerics, or
/// a digit and 3 alphanumerics), separated by `-`; at most 35 characters.
/// Rejected: 5–8 letter languages (reserved by BCP 47, none registered, not
/// supported by ICU4X), extlang, extensions (`-u-…`), private use (`x-…`),
/// grandfathered tags and the `_` separator. Subtags are checked for shape,
/// not against the IANA registry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Locale(String);

/// Why a string is not a [`Locale`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LocaleError {
    /// The input was empty.
    #[error("must not be empty")]
    Empty,
    /// Longer than [`Locale::MAX_CHARS`].
    #[error("must be at most 35 characters")]
    TooLong,
    /// Not a well-formed language tag.
    #[error("must be a BCP 47 language tag, such as en, pt-BR or zh-Hant-TW")]
    Malformed,
}

impl Locale {
    /// Longest accepted tag, in characters.
    pub const MAX_CHARS: usize = 35;

    /// Parses and case-normalises a BCP 47 language tag (no trimming).
    pub fn parse(raw: &str) -> Result<Self, LocaleError> {
        if raw.is_empty() {
            return Err(LocaleError::Empty);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(LocaleError::TooLong);
        }
        let id = LanguageIdentifier::try_from_str(raw).map_err(|_| LocaleError::Malformed)?;
        Ok(Self(id.to_string()))
    }

    /// The canonical tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Locale {
    fn default() -> Self {
        Self(String::from("en"))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Locale {
    type Err = LocaleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Locale {
    type Error = LocaleError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Locale> for String {
    fn from(locale: Locale) -> Self {
        locale.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> String {
        Locale::parse(raw).expect(raw).as_str().to_owned()
    }

    #[test]
    fn accepts_well_formed_tags() {
        for tag in [
            "en",
            "pt-BR",
            "es-419",
            "zh-Hant-TW",
            "sr-Latn",
            "gsw",
            "und",
            "de-CH-1996",
            "ca-ES-valencia",
            "hy-Latn-IT-arevela",
            "en-1234",
        ] {
            assert_eq!(parsed(tag), tag);
        }
    }

    #[test]
    fn normalises_case() {
        assert_eq!(parsed("PT-br"), "pt-BR");
        assert_eq!(parsed("EN"), "en");
        assert_eq!(parsed("zh-hant-tw"), "zh-Hant-TW");
        assert_eq!(parsed("SR-LATN-rs"), "sr-Latn-RS");
        assert_eq!(parsed("de-ch-1996"), "de-CH-1996");
        assert_eq!(parsed("ca-es-VALENCIA"), "ca-ES-valencia");
    }

    #[test]
    fn sorts_variants_and_rejects_duplicates() {
        assert_eq!(parsed("sl-rozaj-biske"), "sl-biske-rozaj");
        assert_eq!(Locale::parse("de-1996-1996"), Err(LocaleError::Malformed));
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(Locale::parse(""), Err(LocaleError::Empty));
    }

    #[test]
    fn rejects_malformed() {
        for raw in [
            "e",
            "engl",
            "abcdefghi",
            "e1",
            "en_US",
            "en-",
            "-en",
            "en--US",
            "en-US-",
            " en",
            "en ",
            "en-U",
            "en-USA",
            "en-12",
            "en-a123",
            "abcde",
            "abcdefgh",
            "zh-yue-HK",
            "en-Latn-Latn",
            "en-US-u-ca-buddhist",
            "en-x-private",
            "x-private",
            "i-klingon",
            "Latn-US",
            "pt-BR-abcdefghi",
            "ja-日本",
        ] {
            assert_eq!(Locale::parse(raw), Err(LocaleError::Malformed), "{raw:?}");
        }
    }

    #[test]
    fn enforces_max_length() {
        // 35 characters exactly: accepted.
        let max = "en-Latn-US-abcdefgh-bcdefghi-cdefgh";
        assert_eq!(max.len(), Locale::MAX_CHARS);
        assert_eq!(parsed(max), max);
        let longer = format!("{max}i");
        assert_eq!(Locale::parse(&longer), Err(LocaleError::TooLong));
        assert_eq!(Locale::parse(&"a".repeat(100)), Err(LocaleError::TooLong));
    }

    #[test]
    fn default_is_en() {
        assert_eq!(Locale::default().as_str(), "en");
        assert_eq!(Locale::default(), Locale::parse("en").unwrap());
    }

    #[test]
    fn display_from_str_and_into_string() {
        let locale: Locale = "pt-br".parse().unwrap();
        assert_eq!(locale.to_string(), "pt-BR");
        assert_eq!(String::from(locale), "pt-BR");
    }

    #[test]
    fn serde_round_trip_as_normalised_string() {
        let locale: Locale = serde_json::from_str(r#""zh-hant-tw""#).unwrap();
        assert_eq!(locale.as_str(), "zh-Hant-TW");
        let json = serde_json::to_string(&locale).unwrap();
        assert_eq!(json, r#""zh-Hant-TW""#);
        assert_eq!(serde_json::from_str::<Locale>(&json).unwrap(), locale);
    }

    #[test]
    fn deserialize_rejects_invalid() {
        for json in [r#""""#, r#""en_US""#, "1"] {
            assert!(serde_json::from_str::<Locale>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn error_messages_are_user_facing() {
        assert_eq!(LocaleError::Empty.to_string(), "must not be empty");
        assert_eq!(
            LocaleError::TooLong.to_string(),
            "must be at most 35 characters"
        );
        assert_eq!(
            LocaleError::Malformed.to_string(),
            "must be a BCP 47 language tag, such as en, pt-BR or zh-Hant-TW"
        );
    }
}
