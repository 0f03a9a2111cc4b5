//! A user's time zone: an IANA tz database name.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An IANA time zone (`America/Sao_Paulo`, `Europe/Lisbon`, `UTC`).
///
/// Only exact tz database names are accepted (case-sensitive, no padding);
/// backward-compatible links such as `US/Eastern` are IANA names too and are
/// kept as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Timezone(Tz);

/// Why a string is not a [`Timezone`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimezoneError {
    /// The input was empty.
    #[error("must not be empty")]
    Empty,
    /// The input is not a name in the IANA tz database.
    #[error("must be an IANA time zone name, such as America/Sao_Paulo or UTC")]
    Unknown,
}

impl Timezone {
    /// UTC, the default.
    pub const UTC: Self = Self(Tz::UTC);

    /// Parses an exact IANA tz database name.
    pub fn parse(raw: &str) -> Result<Self, TimezoneError> {
        if raw.is_empty() {
            return Err(TimezoneError::Empty);
        }
        raw.parse::<Tz>()
            .map(Self)
            .map_err(|_| TimezoneError::Unknown)
    }

    /// The IANA name.
    pub fn as_str(&self) -> &'static str {
        self.0.name()
    }

    /// The zone, for date arithmetic with chrono.
    pub const fn tz(&self) -> Tz {
        self.0
    }
}

impl Default for Timezone {
    fn default() -> Self {
        Self::UTC
    }
}

impl fmt::Display for Timezone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Timezone {
    type Err = TimezoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Timezone {
    type Error = TimezoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl Serialize for Timezone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn accepts_iana_names() {
        for name in [
            "America/Sao_Paulo",
            "UTC",
            "Europe/Lisbon",
            "Asia/Kolkata",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+3",
            "US/Eastern",
        ] {
            let tz = Timezone::parse(name).expect(name);
            assert_eq!(tz.as_str(), name);
            assert_eq!(tz.to_string(), name);
        }
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(Timezone::parse(""), Err(TimezoneError::Empty));
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        for raw in [
            "Mars/Olympus_Mons",
            "america/sao_paulo",
            "utc",
            "+03:00",
            "-0300",
            "BRT",
            "America/",
            "/",
            "America/Sao Paulo",
        ] {
            assert_eq!(Timezone::parse(raw), Err(TimezoneError::Unknown), "{raw}");
        }
    }

    #[test]
    fn rejects_whitespace_padding() {
        for raw in [" UTC", "UTC ", "\tEurope/Lisbon", "Europe/Lisbon\n", " "] {
            assert_eq!(Timezone::parse(raw), Err(TimezoneError::Unknown), "{raw:?}");
        }
    }

    #[test]
    fn default_is_utc() {
        assert_eq!(Timezone::default(), Timezone::UTC);
        assert_eq!(Timezone::default().as_str(), "UTC");
        assert_eq!(Timezone::default().tz(), Tz::UTC);
    }

    #[test]
    fn tz_converts_instants() {
        let tz = Timezone::parse("America/Sao_Paulo").unwrap();
        let instant = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        let local = instant.with_timezone(&tz.tz());
        assert_eq!(local.format("%H:%M %:z").to_string(), "09:00 -03:00");
    }

    #[test]
    fn from_str_and_try_from_agree_with_parse() {
        assert_eq!("UTC".parse::<Timezone>(), Ok(Timezone::UTC));
        assert_eq!(
            Timezone::try_from(String::from("nope")),
            Err(TimezoneError::Unknown)
        );
    }

    #[test]
    fn serde_round_trip_as_string() {
        let tz = Timezone::parse("America/Sao_Paulo").unwrap();
        let json = serde_json::to_string(&tz).unwrap();
        assert_eq!(json, r#""America/Sao_Paulo""#);
        assert_eq!(serde_json::from_str::<Timezone>(&json).unwrap(), tz);
    }

    #[test]
    fn deserialize_rejects_invalid() {
        let err = serde_json::from_str::<Timezone>(r#""Nowhere/City""#).unwrap_err();
        assert!(err.to_string().contains("IANA"), "{err}");
        assert!(serde_json::from_str::<Timezone>(r#"" UTC""#).is_err());
        assert!(serde_json::from_str::<Timezone>("3").is_err());
    }

    #[test]
    fn error_messages_are_user_facing() {
        assert_eq!(TimezoneError::Empty.to_string(), "must not be empty");
        assert_eq!(
            TimezoneError::Unknown.to_string(),
            "must be an IANA time zone name, such as America/Sao_Paulo or UTC"
        );
    }
}
