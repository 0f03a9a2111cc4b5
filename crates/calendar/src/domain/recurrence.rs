//! RFC 5545 recurrence rules (`RRULE`) and their expansion in an event's
//! time zone, with bounded work: an endless rule starts walking near the
//! window asked for, not at the series' first instance.

use super::zone::local_to_utc;
use chrono::{
    DateTime, Datelike as _, Duration, Month, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _,
    Timelike as _, Utc,
};
use chrono_tz::Tz;
use rrule::{Frequency, NWeekday, RRule, Tz as RTz, Unvalidated};
use std::str::FromStr as _;

/// Most instances a `COUNT` may ask for (a daily series of about 27 years).
pub const MAX_COUNT: u32 = 10_000;
/// Most instances a rule may have in one day (through BYHOUR/BYMINUTE/BYSECOND),
/// which bounds a year's window to under 10 000 instances per series.
pub const MAX_PER_DAY: usize = 24;

/// A parsed recurrence rule. `UNTIL`, when present, is held in UTC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    rule: RRule<Unvalidated>,
}

fn rtz(tz: Tz) -> RTz {
    RTz::Tz(tz)
}

impl Recurrence {
    /// Parses an `RRULE` value (`FREQ=WEEKLY;BYDAY=MO`, with or without the
    /// `RRULE:` prefix) for a series that starts at `dtstart` in `tz`. A
    /// floating or dated `UNTIL` is read in `tz`. Frequencies below a day are
    /// not supported.
    pub fn parse(raw: &str, tz: Tz, dtstart: DateTime<Utc>) -> Result<Self, String> {
        let mut text = raw.trim();
        if text.len() >= 6 && text[..6].eq_ignore_ascii_case("RRULE:") {
            text = text[6..].trim();
        }
        if text.is_empty() || text.contains(['\n', '\r']) {
            return Err("must be one RRULE value such as FREQ=WEEKLY;BYDAY=MO".into());
        }
        let rule = RRule::from_str(text).map_err(|e| format!("is not a valid RRULE: {e}"))?;
        match rule.get_freq() {
            Frequency::Daily | Frequency::Weekly | Frequency::Monthly | Frequency::Yearly => {}
            other => {
                return Err(format!(
                    "FREQ={other} is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY"
                ));
            }
        }
        let per_day = rule.get_by_hour().len().max(1)
            * rule.get_by_minute().len().max(1)
            * rule.get_by_second().len().max(1);
        if per_day > MAX_PER_DAY {
            return Err(format!(
                "BYHOUR, BYMINUTE and BYSECOND may give at most {MAX_PER_DAY} instances a day"
            ));
        }
        if let Some(count) = rule.get_count() {
            if count == 0 || count > MAX_COUNT {
                return Err(format!("COUNT must be between 1 and {MAX_COUNT}"));
            }
            if rule.get_until().is_some() {
                return Err("COUNT and UNTIL cannot be used together".into());
            }
        }
        let rule = match rule.get_until().copied() {
            Some(until) if until.timezone().is_local() => {
                let utc = local_to_utc(tz, until.naive_local());
                rule.until(RTz::UTC.from_utc_datetime(&utc.naive_utc()))
            }
            Some(until) => rule.until(RTz::UTC.from_utc_datetime(&until.naive_utc())),
            None => rule,
        };
        let start = dtstart.with_timezone(&rtz(tz));
        rule.clone()
            .validate(start)
            .map_err(|e| format!("is not a valid RRULE for this start: {e}"))?;
        Ok(Self { rule })
    }

    /// The rule as stored and returned (`FREQ=WEEKLY;BYDAY=MO`, `UNTIL` in UTC).
    pub fn as_text(&self) -> String {
        self.rule.to_string()
    }

    /// The rule as written in an iCalendar file: for an all-day series
    /// `UNTIL` is a DATE (RFC 5545 §3.3.10), else a UTC date-time.
    pub fn ics_value(&self, tz: Tz, all_day: bool) -> String {
        let text = self.as_text();
        match (all_day, self.rule.get_until()) {
            (true, Some(until)) => {
                let date = until.with_timezone(&tz).date_naive();
                text.split(';')
                    .map(|part| {
                        if part.starts_with("UNTIL=") {
                            format!("UNTIL={}", date.format("%Y%m%d"))
                        } else {
                            part.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(";")
            }
            _ => text,
        }
    }

    /// The last instant this rule can start an instance, or `None` when it never ends.
    pub fn last_start(&self, tz: Tz, dtstart: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if let Some(until) = self.rule.get_until() {
            return Some(until.with_timezone(&Utc).max(dtstart));
        }
        let count = self.rule.get_count()?;
        let set = self
            .rule
            .clone()
            .build(dtstart.with_timezone(&rtz(tz)))
            .ok()?;
        let dates = set.all(u16::try_from(count).unwrap_or(u16::MAX)).dates;
        Some(
            dates
                .last()
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or(dtstart)
                .max(dtstart),
        )
    }

    /// The rule with every part that defaults from `DTSTART` spelled out, so
    /// the walk may start from a later anchor and yield the same instances.
    fn explicit(&self, start: NaiveDateTime) -> RRule<Unvalidated> {
        let r = self.rule.clone();
        let no_day_rule = r.get_by_week_no().is_empty()
            && r.get_by_year_day().is_empty()
            && r.get_by_month_day().is_empty()
            && r.get_by_weekday().is_empty();
        let mut r = if no_day_rule {
            match r.get_freq() {
                Frequency::Yearly => {
                    let r = if r.get_by_month().is_empty() {
                        let month = Month::try_from(u8::try_from(start.month()).unwrap_or(1))
                            .unwrap_or(Month::January);
                        r.by_month(&[month])
                    } else {
                        r
                    };
                    r.by_month_day(vec![i8::try_from(start.day()).unwrap_or(1)])
                }
                Frequency::Monthly => r.by_month_day(vec![i8::try_from(start.day()).unwrap_or(1)]),
                Frequency::Weekly => r.by_weekday(vec![NWeekday::Every(start.weekday())]),
                _ => r,
            }
        } else {
            r
        };
        if r.get_by_hour().is_empty() {
            r = r.by_hour(vec![u8::try_from(start.hour()).unwrap_or(0)]);
        }
        if r.get_by_minute().is_empty() {
            r = r.by_minute(vec![u8::try_from(start.minute()).unwrap_or(0)]);
        }
        if r.get_by_second().is_empty() {
            r = r.by_second(vec![u8::try_from(start.second()).unwrap_or(0)]);
        }
        r
    }

    /// Starts of the instances in `[from, to)`, walked in `tz` (DST-correct:
    /// 09:00 stays 09:00 local on both sides of a change). `DTSTART` itself
    /// is always an instance (RFC 5545 §3.8.5.3). Work is bounded by the
    /// window: without `COUNT`, the walk starts at the rule period just
    /// before `from` instead of at `dtstart`.
    pub fn starts_between(
        &self,
        tz: Tz,
        dtstart: DateTime<Utc>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        if dtstart >= from && dtstart < to {
            out.push(dtstart);
        }
        if to <= dtstart {
            return out;
        }
        if let Some(until) = self.rule.get_until()
            && until.with_timezone(&Utc) < from
        {
            return out;
        }
        let start_local = dtstart.with_timezone(&tz).naive_local();
        let mut anchor = start_local;
        if self.rule.get_count().is_none() {
            let target = (from - Duration::days(2)).with_timezone(&tz).naive_local();
            anchor = shifted_anchor(
                self.rule.get_freq(),
                i64::from(self.rule.get_interval().max(1)),
                start_local,
                target,
            );
        }
        let anchor = local_to_utc(tz, anchor)
            .max(dtstart)
            .with_timezone(&rtz(tz));
        if let Some(until) = self.rule.get_until()
            && *until < anchor
        {
            return out;
        }
        let rule = if anchor.with_timezone(&Utc) == dtstart {
            self.rule.clone()
        } else {
            self.explicit(start_local)
        };
        let Ok(set) = rule.build(anchor) else {
            return out;
        };
        let dates = set
            .after(from.with_timezone(&rtz(tz)))
            .before(to.with_timezone(&rtz(tz)))
            .all(u16::MAX)
            .dates;
        for d in dates {
            let d = d.with_timezone(&Utc);
            if d >= from && d < to && d != dtstart {
                out.push(d);
            }
        }
        out.sort();
        out
    }
}

/// The first instant of the rule period, `k × interval` periods after the
/// first one, that is not after `target`.
fn shifted_anchor(
    freq: Frequency,
    interval: i64,
    start: NaiveDateTime,
    target: NaiveDateTime,
) -> NaiveDateTime {
    if target <= start {
        return start;
    }
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    let days = (target.date() - start.date()).num_days();
    let anchor = match freq {
        Frequency::Daily => {
            let k = days / interval;
            start
                .date()
                .checked_add_signed(Duration::days(k * interval))
                .map(midnight)
        }
        Frequency::Weekly => {
            let k = days / 7 / interval;
            start
                .date()
                .checked_add_signed(Duration::days(7 * k * interval))
                .map(midnight)
        }
        Frequency::Monthly => {
            let months = (i64::from(target.year()) * 12 + i64::from(target.month0()))
                - (i64::from(start.year()) * 12 + i64::from(start.month0()));
            let total = i64::from(start.year()) * 12
                + i64::from(start.month0())
                + (months / interval) * interval;
            let year = i32::try_from(total.div_euclid(12)).ok();
            let month = u32::try_from(total.rem_euclid(12) + 1).ok();
            year.zip(month)
                .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1))
                .map(midnight)
        }
        Frequency::Yearly => {
            let years = i64::from(target.year() - start.year());
            i32::try_from(i64::from(start.year()) + (years / interval) * interval)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
                .map(midnight)
        }
        _ => None,
    };
    anchor.filter(|a| *a > start).unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn hours(v: &[DateTime<Utc>]) -> Vec<String> {
        v.iter()
            .map(|d| d.format("%Y-%m-%dT%H:%MZ").to_string())
            .collect()
    }

    #[test]
    fn weekly_rule_keeps_local_time_across_dst_in_new_york() {
        let ny = chrono_tz::America::New_York;
        let start = utc("2026-02-23T14:00:00Z"); // Monday 09:00 EST
        let r = Recurrence::parse("FREQ=WEEKLY;BYDAY=MO", ny, start).unwrap();
        let got = r.starts_between(
            ny,
            start,
            utc("2026-03-01T00:00:00Z"),
            utc("2026-03-17T00:00:00Z"),
        );
        assert_eq!(
            hours(&got),
            [
                "2026-03-02T14:00Z",
                "2026-03-09T13:00Z",
                "2026-03-16T13:00Z"
            ]
        );
    }

    #[test]
    fn daily_rule_since_1970_starts_near_the_window() {
        let sp = chrono_tz::America::Sao_Paulo;
        let start = utc("1970-01-01T11:00:00Z"); // 08:00 local (-03)
        let r = Recurrence::parse("RRULE:FREQ=DAILY", sp, start).unwrap();
        let t = std::time::Instant::now();
        let got = r.starts_between(
            sp,
            start,
            utc("2026-11-25T00:00:00Z"),
            utc("2026-11-28T00:00:00Z"),
        );
        assert!(
            t.elapsed() < std::time::Duration::from_millis(50),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(
            hours(&got),
            [
                "2026-11-25T11:00Z",
                "2026-11-26T11:00Z",
                "2026-11-27T11:00Z"
            ]
        );
        // Shifting gives the same answer as walking from the start.
        let shifted = shifted_anchor(
            Frequency::Daily,
            3,
            start.naive_utc(),
            utc("2026-11-25T00:00:00Z").naive_utc(),
        );
        assert_eq!((shifted.date() - start.date_naive()).num_days() % 3, 0);
        let target = utc("2026-11-25T00:00:00Z").naive_utc();
        assert!(
            shifted <= target && target - shifted < Duration::days(3),
            "{shifted}"
        );
    }

    #[test]
    fn monthly_and_yearly_rules_shift_by_whole_periods() {
        let berlin = chrono_tz::Europe::Berlin;
        let start = utc("2001-01-31T09:00:00Z"); // 10:00 CET, the 31st
        let r = Recurrence::parse("FREQ=MONTHLY;INTERVAL=2", berlin, start).unwrap();
        let got = r.starts_between(
            berlin,
            start,
            utc("2026-01-01T00:00:00Z"),
            utc("2027-01-01T00:00:00Z"),
        );
        // Every other month having a 31st, from January 2001: Jan, Mar, Jul (May has 31: yes).
        let months: Vec<u32> = got
            .iter()
            .map(|d| d.with_timezone(&berlin).month())
            .collect();
        assert_eq!(months, [1, 3, 5, 7]);
        assert!(got.iter().all(|d| d.with_timezone(&berlin).hour() == 10));
        let y = Recurrence::parse("FREQ=YEARLY", berlin, start).unwrap();
        let got = y.starts_between(
            berlin,
            start,
            utc("2026-01-01T00:00:00Z"),
            utc("2027-01-01T00:00:00Z"),
        );
        assert_eq!(hours(&got), ["2026-01-31T09:00Z"]);
    }

    #[test]
    fn count_and_until_bound_the_series() {
        let tz = chrono_tz::UTC;
        let start = utc("2026-01-01T09:00:00Z");
        let r = Recurrence::parse("FREQ=DAILY;COUNT=3", tz, start).unwrap();
        assert_eq!(r.last_start(tz, start), Some(utc("2026-01-03T09:00:00Z")));
        let u = Recurrence::parse("FREQ=DAILY;UNTIL=20260105", tz, start).unwrap();
        assert!(
            u.as_text().contains("UNTIL=20260105T000000Z"),
            "{}",
            u.as_text()
        );
        assert_eq!(u.ics_value(tz, true), "FREQ=DAILY;UNTIL=20260105");
        let none = Recurrence::parse("FREQ=DAILY", tz, start).unwrap();
        assert_eq!(none.last_start(tz, start), None);
    }

    #[test]
    fn bad_rules_say_why() {
        let tz = chrono_tz::UTC;
        let start = utc("2026-01-01T09:00:00Z");
        for bad in [
            "",
            "FREQ=SOMETIMES",
            "FREQ=HOURLY",
            "FREQ=DAILY;COUNT=0",
            "FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z",
            "FREQ=DAILY;BYHOUR=1,2,3,4,5;BYMINUTE=0,10,20,30,40,50",
            "FREQ=DAILY\nFREQ=DAILY",
        ] {
            assert!(Recurrence::parse(bad, tz, start).is_err(), "{bad}");
        }
    }
}
