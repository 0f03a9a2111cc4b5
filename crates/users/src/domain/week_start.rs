//! The day a user's week starts on.

use chrono::Weekday;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// First day of the week in calendars and weekly summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    /// ISO 8601 and most of the world; the default.
    #[default]
    Monday,
    /// The Americas, Japan and others.
    Sunday,
    /// Parts of the Middle East and North Africa.
    Saturday,
}

/// Why a string is not a [`WeekStart`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be one of monday, sunday, saturday")]
pub struct WeekStartError;

impl WeekStart {
    /// Parses the wire form: `monday`, `sunday` or `saturday` (lowercase).
    pub fn parse(raw: &str) -> Result<Self, WeekStartError> {
        match raw {
            "monday" => Ok(Self::Monday),
            "sunday" => Ok(Self::Sunday),
            "saturday" => Ok(Self::Saturday),
            _ => Err(WeekStartError),
        }
    }

    /// The wire form.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Monday => "monday",
            Self::Sunday => "sunday",
            Self::Saturday => "saturday",
        }
    }

    /// The same day as a chrono weekday, for date arithmetic.
    pub const fn weekday(&self) -> Weekday {
        match self {
            Self::Monday => Weekday::Mon,
            Self::Sunday => Weekday::Sun,
            Self::Saturday => Weekday::Sat,
        }
    }
}

impl fmt::Display for WeekStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WeekStart {
    type Err = WeekStartError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [WeekStart; 3] = [WeekStart::Monday, WeekStart::Sunday, WeekStart::Saturday];

    #[test]
    fn default_is_monday() {
        assert_eq!(WeekStart::default(), WeekStart::Monday);
    }

    #[test]
    fn parse_and_as_str_agree() {
        for day in ALL {
            assert_eq!(WeekStart::parse(day.as_str()), Ok(day));
            assert_eq!(day.to_string().parse::<WeekStart>(), Ok(day));
        }
    }

    #[test]
    fn rejects_other_input() {
        for raw in [
            "", "Monday", "MONDAY", " monday", "mon", "tuesday", "friday", "0",
        ] {
            assert_eq!(WeekStart::parse(raw), Err(WeekStartError), "{raw:?}");
        }
    }

    #[test]
    fn maps_to_chrono_weekdays() {
        assert_eq!(WeekStart::Monday.weekday(), Weekday::Mon);
        assert_eq!(WeekStart::Sunday.weekday(), Weekday::Sun);
        assert_eq!(WeekStart::Saturday.weekday(), Weekday::Sat);
    }

    #[test]
    fn serde_uses_lowercase_names() {
        for day in ALL {
            let json = serde_json::to_string(&day).unwrap();
            assert_eq!(json, format!("\"{}\"", day.as_str()));
            assert_eq!(serde_json::from_str::<WeekStart>(&json).unwrap(), day);
        }
        assert!(serde_json::from_str::<WeekStart>(r#""Monday""#).is_err());
        assert!(serde_json::from_str::<WeekStart>(r#""friday""#).is_err());
    }

    #[test]
    fn error_message_is_user_facing() {
        assert_eq!(
            WeekStartError.to_string(),
            "must be one of monday, sunday, saturday"
        );
    }
}
