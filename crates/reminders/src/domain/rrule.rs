//! Recurrence rules (RFC 5545 `RRULE`) and the occurrences they produce in a
//! user's time zone.
//!
//! Parsing and iteration are done by the `rrule` crate; this type adds the
//! constraints RFC 5545 states but the crate does not enforce (COUNT with
//! UNTIL, numeric BYDAY outside MONTHLY/YEARLY, …) and the ones this module
//! chooses (UNTIL in UTC, no MINUTELY/SECONDLY reminders).
//!
//! # Occurrences
//! A series is a rule plus a start (`DTSTART`): the first due instant. The
//! occurrences are computed with `DTSTART` expressed as a wall-clock time in
//! the user's zone, so a reminder created for 18:00 in `America/New_York`
//! stays at 18:00 there across DST switches (its UTC instant moves by an hour).
//! As RFC 5545 says, `DTSTART` is always the first occurrence, and `COUNT`
//! counts from it, even when the start does not match the rule itself.

use chrono::{DateTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use rrule::{Frequency, NWeekday, RRule, RRuleError, RRuleSet, Unvalidated};
use std::fmt;

/// Longest rule text accepted.
const MAX_LEN: usize = 500;
/// Occurrences scanned, at most, to find the next one (a guard against rules
/// such as `FREQ=HOURLY;BYMINUTE=0,1,…,59` started decades ago).
const MAX_SCAN: usize = 1_000_000;

/// A valid recurrence rule, without a start: `FREQ=WEEKLY;BYDAY=MO`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rrule {
    rule: RRule<Unvalidated>,
    text: String,
}

/// Why a rule is not acceptable, or its occurrences cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RruleError {
    /// Not a rule at all, or a part the grammar rejects.
    #[error("is not a valid RFC 5545 RRULE: {0}")]
    Syntax(String),
    /// Grammatical but breaks a constraint.
    #[error("{0}")]
    Invalid(String),
    /// `UNTIL` is before the first occurrence.
    #[error("UNTIL is before the first due time")]
    UntilBeforeStart,
    /// So many occurrences before the one sought that computing it is refused.
    #[error("the rule has too many occurrences to compute the next one")]
    TooManyOccurrences,
}

fn invalid(msg: &str) -> RruleError {
    RruleError::Invalid(msg.to_owned())
}

fn describe(err: RRuleError) -> String {
    match err {
        RRuleError::ParserError(e) => e.to_string(),
        RRuleError::ValidationError(e) => e.to_string(),
        RRuleError::IterError(e) => e,
    }
}

impl Rrule {
    /// Parses the value of an `RRULE` property (without the `RRULE:` name).
    pub fn parse(raw: &str) -> Result<Self, RruleError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(invalid("must not be empty"));
        }
        if raw.len() > MAX_LEN {
            return Err(invalid("must be at most 500 characters"));
        }
        if raw
            .chars()
            .any(|c| c == ':' || c.is_whitespace() || c.is_control())
        {
            return Err(RruleError::Syntax(
                "give only the rule's value, such as FREQ=WEEKLY;BYDAY=MO".to_owned(),
            ));
        }
        let rule: RRule<Unvalidated> = raw.parse().map_err(|e| RruleError::Syntax(describe(e)))?;
        Self::check(&rule)?;
        // The crate's own checks need a start; none of them depends on which one
        // except "UNTIL before DTSTART", checked against the real start later.
        let epoch = rrule::Tz::UTC.timestamp_opt(0, 0).single();
        if let Some(epoch) = epoch {
            rule.clone()
                .validate(epoch)
                .map_err(|e| RruleError::Invalid(describe(e)))?;
        }
        let text = rule.to_string();
        Ok(Self { rule, text })
    }

    /// RFC 5545 constraints the crate leaves to its callers, and this module's own.
    fn check(rule: &RRule<Unvalidated>) -> Result<(), RruleError> {
        let freq = rule.get_freq();
        if matches!(freq, Frequency::Secondly | Frequency::Minutely) {
            return Err(invalid(
                "FREQ must be HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY for a reminder",
            ));
        }
        if rule.get_interval() == 0 {
            return Err(invalid("INTERVAL must be a positive integer"));
        }
        if rule.get_count() == Some(0) {
            return Err(invalid("COUNT must be a positive integer"));
        }
        if rule.get_count().is_some() && rule.get_until().is_some() {
            return Err(invalid("COUNT and UNTIL must not both be given"));
        }
        if let Some(until) = rule.get_until()
            && until.timezone() != rrule::Tz::UTC
        {
            return Err(invalid(
                "UNTIL must be a UTC date-time, such as 20261231T235959Z",
            ));
        }
        let numeric_byday = rule
            .get_by_weekday()
            .iter()
            .any(|d| matches!(d, NWeekday::Nth(..)));
        if numeric_byday && !matches!(freq, Frequency::Monthly | Frequency::Yearly) {
            return Err(invalid(
                "BYDAY with a number (such as 1MO) needs FREQ=MONTHLY or FREQ=YEARLY",
            ));
        }
        if numeric_byday && !rule.get_by_week_no().is_empty() {
            return Err(invalid(
                "BYDAY with a number must not be used with BYWEEKNO",
            ));
        }
        if !rule.get_by_week_no().is_empty() && freq != Frequency::Yearly {
            return Err(invalid("BYWEEKNO needs FREQ=YEARLY"));
        }
        if !rule.get_by_month_day().is_empty() && freq == Frequency::Weekly {
            return Err(invalid("BYMONTHDAY must not be used with FREQ=WEEKLY"));
        }
        if !rule.get_by_year_day().is_empty()
            && matches!(
                freq,
                Frequency::Daily | Frequency::Weekly | Frequency::Monthly
            )
        {
            return Err(invalid(
                "BYYEARDAY must not be used with FREQ=DAILY, WEEKLY or MONTHLY",
            ));
        }
        Ok(())
    }

    /// The rule in canonical form (`FREQ` first, defaults left out).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Checks the rule against the start of a series (UNTIL not before it).
    pub fn check_start(&self, dtstart: DateTime<Utc>) -> Result<(), RruleError> {
        match self.rule.get_until() {
            Some(until) if until.with_timezone(&Utc) < dtstart => Err(RruleError::UntilBeforeStart),
            _ => Ok(()),
        }
    }

    /// The first occurrence strictly after `after` of the series that starts at
    /// `dtstart`, computed in `tz`; `None` when the series has ended (COUNT or
    /// UNTIL reached, or no date matches).
    pub fn next_after(
        &self,
        dtstart: DateTime<Utc>,
        tz: Tz,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, RruleError> {
        for (scanned, occurrence) in self.occurrences(dtstart, tz)?.enumerate() {
            if occurrence > after {
                return Ok(Some(occurrence));
            }
            if scanned >= MAX_SCAN {
                return Err(RruleError::TooManyOccurrences);
            }
        }
        Ok(None)
    }

    /// Every occurrence of the series starting at `dtstart`, in `tz`, in order:
    /// `dtstart` first, then the rule's own occurrences, `COUNT` in all.
    pub fn occurrences(
        &self,
        dtstart: DateTime<Utc>,
        tz: Tz,
    ) -> Result<impl Iterator<Item = DateTime<Utc>> + use<>, RruleError> {
        self.check_start(dtstart)?;
        let start = dtstart.with_timezone(&rrule::Tz::Tz(tz));
        let rule = self
            .rule
            .clone()
            .validate(start)
            .map_err(|e| RruleError::Invalid(describe(e)))?;
        let set = RRuleSet::new(start).rrule(rule).limit();
        let mut generated = (&set).into_iter().map(|t| t.with_timezone(&Utc)).peekable();
        let starts_with_dtstart = generated.peek() == Some(&dtstart);
        let head = (!starts_with_dtstart).then_some(dtstart);
        let count = self.rule.get_count().map_or(usize::MAX, |c| c as usize);
        Ok(head.into_iter().chain(generated).take(count))
    }
}

impl fmt::Display for Rrule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Timelike as _};

    fn utc(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        tz.from_local_datetime(
            &NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .single()
        .unwrap()
        .with_timezone(&Utc)
    }

    fn take(rule: &str, start: DateTime<Utc>, tz: Tz, n: usize) -> Vec<DateTime<Utc>> {
        Rrule::parse(rule)
            .unwrap()
            .occurrences(start, tz)
            .unwrap()
            .take(n)
            .collect()
    }

    #[test]
    fn accepts_and_canonicalises_rules() {
        for (raw, canonical) in [
            ("FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
            ("freq=daily;interval=1", "FREQ=DAILY"),
            (
                "BYDAY=MO,WE;FREQ=WEEKLY;INTERVAL=2",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
            ),
            (
                "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
                "FREQ=MONTHLY;COUNT=3;BYDAY=-1FR",
            ),
            (
                "FREQ=YEARLY;UNTIL=20301231T235959Z",
                "FREQ=YEARLY;UNTIL=20301231T235959Z",
            ),
            ("FREQ=HOURLY;INTERVAL=6", "FREQ=HOURLY;INTERVAL=6"),
        ] {
            assert_eq!(Rrule::parse(raw).unwrap().as_str(), canonical, "{raw}");
        }
    }

    #[test]
    fn rejects_bad_rules() {
        for raw in [
            "",
            "FREQ=FORTNIGHTLY",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;BYDAY=MON",
            "FREQ=DAILY;COUNT=3;UNTIL=20301231T000000Z",
            "FREQ=DAILY;UNTIL=20301231T000000",
            "FREQ=DAILY;UNTIL=20301231",
            "FREQ=MINUTELY",
            "FREQ=SECONDLY",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;COUNT=0",
            "FREQ=DAILY;COUNT=-1",
            "FREQ=WEEKLY;BYDAY=1MO",
            "FREQ=WEEKLY;BYMONTHDAY=3",
            "FREQ=MONTHLY;BYWEEKNO=3",
            "FREQ=DAILY;BYYEARDAY=3",
            "FREQ=DAILY;BYHOUR=24",
            "FREQ=DAILY;FREQ=WEEKLY",
            "FREQ=DAILY;FOO=1",
            "INTERVAL=2",
            "RRULE:FREQ=DAILY",
            "DTSTART:20260101T000000Z",
            "FREQ=DAILY; COUNT=2",
        ] {
            assert!(Rrule::parse(raw).is_err(), "{raw} should be rejected");
        }
        let err = Rrule::parse("FREQ=FORTNIGHTLY").unwrap_err();
        assert!(err.to_string().contains("FORTNIGHTLY"), "{err}");
    }

    #[test]
    fn weekly_at_18_stays_at_18_local_across_new_york_dst() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // Thursday 2026-10-29 18:00 EDT; DST ends Sunday 2026-11-01.
        let start = local(ny, 2026, 10, 29, 18, 0);
        assert_eq!(start, utc("2026-10-29T22:00:00Z"));
        let got = take("FREQ=WEEKLY", start, ny, 3);
        assert_eq!(
            got,
            [
                utc("2026-10-29T22:00:00Z"),
                utc("2026-11-05T23:00:00Z"),
                utc("2026-11-12T23:00:00Z")
            ]
        );
        for t in got {
            assert_eq!(t.with_timezone(&ny).hour(), 18);
        }
    }

    #[test]
    fn daily_at_9_stays_at_9_local_across_lisbon_spring_forward() {
        let lisbon: Tz = "Europe/Lisbon".parse().unwrap();
        // DST starts Sunday 2026-03-29 01:00 UTC.
        let start = local(lisbon, 2026, 3, 28, 9, 0);
        let got = take("FREQ=DAILY", start, lisbon, 3);
        assert_eq!(
            got,
            [
                utc("2026-03-28T09:00:00Z"),
                utc("2026-03-29T08:00:00Z"),
                utc("2026-03-30T08:00:00Z")
            ]
        );
    }

    #[test]
    fn sao_paulo_has_no_dst_and_keeps_its_offset() {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let start = utc("2026-10-29T21:00:00Z"); // 18:00 -03:00
        let got = take("FREQ=WEEKLY", start, sp, 3);
        assert_eq!(got[2], utc("2026-11-12T21:00:00Z"));
    }

    #[test]
    fn a_start_off_the_rule_counts_as_the_first_occurrence() {
        // Wednesday start, rule on Mondays, COUNT=3: Wed, Mon, Mon.
        let start = utc("2026-11-25T09:00:00Z");
        let got = take("FREQ=WEEKLY;BYDAY=MO;COUNT=3", start, Tz::UTC, 10);
        assert_eq!(
            got,
            [
                start,
                utc("2026-11-30T09:00:00Z"),
                utc("2026-12-07T09:00:00Z")
            ]
        );
        let on_rule = take("FREQ=DAILY;COUNT=2", start, Tz::UTC, 10);
        assert_eq!(on_rule, [start, utc("2026-11-26T09:00:00Z")]);
    }

    #[test]
    fn next_after_ends_with_count_and_until() {
        let start = utc("2026-01-01T09:00:00Z");
        let rule = Rrule::parse("FREQ=DAILY;COUNT=2").unwrap();
        let second = rule.next_after(start, Tz::UTC, start).unwrap();
        assert_eq!(second, Some(utc("2026-01-02T09:00:00Z")));
        assert_eq!(
            rule.next_after(start, Tz::UTC, second.unwrap()).unwrap(),
            None
        );

        let until = Rrule::parse("FREQ=DAILY;UNTIL=20260102T090000Z").unwrap();
        let last = utc("2026-01-02T09:00:00Z");
        assert_eq!(until.next_after(start, Tz::UTC, start).unwrap(), Some(last));
        assert_eq!(until.next_after(start, Tz::UTC, last).unwrap(), None);
    }

    #[test]
    fn until_before_the_start_is_refused() {
        let rule = Rrule::parse("FREQ=DAILY;UNTIL=20260101T000000Z").unwrap();
        assert_eq!(
            rule.check_start(utc("2026-02-01T00:00:00Z")),
            Err(RruleError::UntilBeforeStart)
        );
        assert!(rule.check_start(utc("2025-12-01T00:00:00Z")).is_ok());
    }
}
