//! Dates, months and date ranges, as clients write them.

use chrono::{Datelike as _, Months, NaiveDate};
use std::fmt;

/// Why a date, month or range was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not `YYYY-MM-DD`, or no such day.
    #[error("must be a date written YYYY-MM-DD")]
    Date,
    /// Not `YYYY-MM`, or no such month.
    #[error("must be a month written YYYY-MM")]
    Month,
    /// The range ends before it starts.
    #[error("must not be before from")]
    Reversed,
}

/// Parses a calendar date written exactly `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, PeriodError> {
    let b = raw.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(PeriodError::Date);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| PeriodError::Date)
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(NaiveDate);

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(raw: &str) -> Result<Self, PeriodError> {
        let b = raw.as_bytes();
        let shape = b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !shape {
            return Err(PeriodError::Month);
        }
        parse_date(&format!("{raw}-01"))
            .map(Self)
            .map_err(|_| PeriodError::Month)
    }

    /// The month containing `day`.
    pub fn containing(day: NaiveDate) -> Self {
        Self(day.with_day(1).unwrap_or(day))
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.0
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(self.0)
    }

    /// The whole month as a range.
    pub fn range(self) -> DateRange {
        DateRange {
            from: self.first_day(),
            to: self.last_day(),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m"))
    }
}

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    /// First day, included.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

impl DateRange {
    /// A range; `to` before `from` is refused.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::Reversed);
        }
        Ok(Self { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2026-02-28").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        for bad in [
            "2026-2-28",
            "2026-02-29",
            "26-02-28",
            "2026/02/28",
            "2026-02-28T00:00",
            " 2026-02-28",
            "+2026-01-1",
        ] {
            assert_eq!(parse_date(bad), Err(PeriodError::Date), "{bad}");
        }
    }

    #[test]
    fn months_know_their_days() {
        let feb = Month::parse("2024-02").unwrap();
        assert_eq!(feb.first_day().to_string(), "2024-02-01");
        assert_eq!(feb.last_day().to_string(), "2024-02-29");
        assert_eq!(
            Month::parse("2026-12").unwrap().last_day().to_string(),
            "2026-12-31"
        );
        assert_eq!(feb.to_string(), "2024-02");
        assert_eq!(
            Month::containing(NaiveDate::from_ymd_opt(2024, 2, 17).unwrap()),
            feb
        );
        for bad in ["2024-13", "2024-1", "202402", "2024-02-01", ""] {
            assert_eq!(Month::parse(bad), Err(PeriodError::Month), "{bad}");
        }
    }

    #[test]
    fn ranges_run_forward() {
        let d = |s| parse_date(s).unwrap();
        assert!(DateRange::new(d("2026-01-01"), d("2026-01-01")).is_ok());
        assert_eq!(
            DateRange::new(d("2026-01-02"), d("2026-01-01")),
            Err(PeriodError::Reversed)
        );
    }
}
