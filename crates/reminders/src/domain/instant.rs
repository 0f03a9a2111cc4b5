//! Instants as clients send them: RFC 3339 with any offset.

use chrono::{DateTime, SubsecRound as _, Utc};

/// Why a string is not an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    /// Not an RFC 3339 date-time with an offset.
    #[error("must be an RFC 3339 date-time with an offset, such as 2026-11-25T09:00:00-03:00")]
    Invalid,
}

/// Parses an RFC 3339 date-time with any offset (`Z`, `-03:00`, `+05:45`)
/// into the instant it names. Fractional seconds are dropped: reminders are
/// scheduled to the second, like the recurrence rules that repeat them.
pub fn parse_instant(raw: &str) -> Result<DateTime<Utc>, InstantError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(0))
        .map_err(|_| InstantError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn any_offset_names_one_instant() {
        let utc = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        for raw in [
            "2026-11-25T12:00:00Z",
            "2026-11-25T09:00:00-03:00",
            "2026-11-25T17:45:00+05:45",
            "2026-11-25T12:00:00.999+00:00",
        ] {
            assert_eq!(parse_instant(raw), Ok(utc), "{raw}");
        }
    }

    #[test]
    fn rejects_what_is_not_rfc_3339() {
        for raw in [
            "",
            "2026-11-25",
            "2026-11-25T12:00:00",
            "25/11/2026 12:00",
            "2026-13-01T00:00:00Z",
        ] {
            assert_eq!(parse_instant(raw), Err(InstantError::Invalid), "{raw}");
        }
    }
}
