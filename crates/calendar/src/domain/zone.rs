//! Time zones: wall-clock times to instants (DST gaps and overlaps as RFC 5545
//! prescribes), iCalendar `TZID`s to IANA zones (IANA names, vendor-prefixed
//! names, Windows names through the CLDR mapping), and `VTIMEZONE` definitions
//! evaluated from their own offsets.

use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset as _,
    TimeZone as _, Utc,
};
use chrono_tz::Tz;
use std::str::FromStr as _;

/// The CLDR `windowsZones.xml` territory-001 mapping (see `data/README.md`).
const WINDOWS_ZONES: &str = include_str!("../../data/windows_zones.tsv");

/// The instant of a wall-clock time in `tz`. A time that occurs twice (DST
/// ends) is the first one; a time that does not exist (DST starts) is read
/// with the offset in force before the gap, so 02:30 on a spring-forward
/// night becomes 03:30 (RFC 5545 §3.3.5).
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => {
            // The offset in force a day earlier is the one before the gap.
            let before = Utc.from_utc_datetime(&(local - Duration::days(1)));
            let offset = tz.offset_from_utc_datetime(&before.naive_utc()).fix();
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset.local_minus_utc()))))
        }
    }
}

/// The instant a date starts in `tz` (local midnight, or the first instant of
/// the date when midnight falls in a DST gap).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(tz, date.and_time(NaiveTime::MIN))
}

/// The local date of an instant in `tz`.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// Seconds east of UTC of `tz` at the instant `utc`.
pub fn offset_secs(tz: Tz, utc: NaiveDateTime) -> i32 {
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

/// Parses an IANA zone name exactly as `chrono-tz` knows it (`America/Sao_Paulo`, `UTC`).
pub fn iana(name: &str) -> Option<Tz> {
    Tz::from_str(name.trim()).ok()
}

/// The IANA zone of a Windows time-zone name (`GMT Standard Time` →
/// `Europe/London`), from the CLDR mapping shipped with this crate.
pub fn windows_zone(name: &str) -> Option<Tz> {
    let name = name.trim();
    WINDOWS_ZONES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
        .and_then(|(_, zone)| iana(zone))
}

/// IANA names hidden inside vendor TZIDs, best guess first:
/// `/mozilla.org/20070129_1/Europe/London`, `custom_America/New_York`.
pub fn embedded_iana_names(tzid: &str) -> Vec<Tz> {
    let mut found = Vec::new();
    for (i, c) in tzid.char_indices() {
        if matches!(c, '/' | '_' | '-' | ' ')
            && let Some(tz) = tzid.get(i + 1..).and_then(iana)
            && !found.contains(&tz)
        {
            found.push(tz);
        }
    }
    found
}

/// Resolves a TZID without looking at any `VTIMEZONE`: an IANA name, then a
/// Windows name (CLDR), then an IANA name embedded in a vendor prefix.
pub fn resolve_known_tzid(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    iana(tzid)
        .or_else(|| windows_zone(tzid))
        .or_else(|| embedded_iana_names(tzid).into_iter().next())
}

/// One `STANDARD` or `DAYLIGHT` block of a `VTIMEZONE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observance {
    /// The first onset, in the local time in force before it (`TZOFFSETFROM`).
    pub dtstart: NaiveDateTime,
    /// `TZOFFSETFROM`, seconds east of UTC.
    pub offset_from: i32,
    /// `TZOFFSETTO`, seconds east of UTC.
    pub offset_to: i32,
    /// `RRULE` value, if the onset repeats.
    pub rrule: Option<String>,
    /// `RDATE` onsets (local, like `dtstart`).
    pub rdates: Vec<NaiveDateTime>,
}

/// A `VTIMEZONE`: a zone defined by the calendar file itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VTimezone {
    /// Its `TZID`.
    pub tzid: String,
    /// Its observances.
    pub observances: Vec<Observance>,
}

/// A zone's onsets, for repeated lookups.
#[derive(Clone, Debug)]
pub struct Offsets {
    onsets: Vec<(NaiveDateTime, i32)>,
    initial: Option<i32>,
}

impl Offsets {
    /// Seconds east of UTC at the instant `utc` (within the span computed).
    pub fn at(&self, utc: NaiveDateTime) -> Option<i32> {
        match self.onsets.partition_point(|(t, _)| *t <= utc) {
            0 => self.initial,
            i => self.onsets.get(i - 1).map(|(_, to)| *to),
        }
    }
}

/// Most onsets one observance may contribute (yearly rules since 1800 stay far below).
const MAX_ONSETS: u16 = 2000;

impl VTimezone {
    /// Every onset up to `until` (UTC): `(instant, offset after it)`, sorted.
    fn onsets(&self, until: NaiveDateTime) -> Vec<(NaiveDateTime, i32)> {
        let mut out = Vec::new();
        for o in &self.observances {
            let shift = Duration::seconds(i64::from(o.offset_from));
            let mut locals = vec![o.dtstart];
            locals.extend(o.rdates.iter().copied());
            if let Some(rule) = &o.rrule {
                locals.extend(expand_onsets(o.dtstart, rule, o.offset_from, until + shift));
            }
            for local in locals {
                let utc = local - shift;
                if utc <= until {
                    out.push((utc, o.offset_to));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The offsets in force up to `until` (UTC), computed once for many lookups.
    pub fn offsets_until(&self, until: NaiveDateTime) -> Offsets {
        Offsets {
            onsets: self.onsets(until),
            // Before the first onset: the first observance's "from" offset.
            initial: self
                .observances
                .iter()
                .min_by_key(|o| o.dtstart)
                .map(|o| o.offset_from),
        }
    }

    /// Seconds east of UTC at the instant `utc`.
    pub fn offset_at_utc(&self, utc: NaiveDateTime) -> Option<i32> {
        self.offsets_until(utc).at(utc)
    }

    /// The instant of a wall-clock time in this zone (first of two on an
    /// overlap; the offset before the gap on a gap), or `None` for an empty zone.
    pub fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        self.to_utc_with(&self.offsets_until(local + Duration::days(2)), local)
    }

    /// [`Self::to_utc`] with offsets computed beforehand (at least up to `local` + 2 days).
    pub fn to_utc_with(&self, table: &Offsets, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let mut offsets: Vec<i32> = self
            .observances
            .iter()
            .flat_map(|o| [o.offset_from, o.offset_to])
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let valid = offsets
            .iter()
            .map(|o| local - Duration::seconds(i64::from(*o)))
            .filter(|u| table.at(*u).map(|o| *u + Duration::seconds(i64::from(o))) == Some(local))
            .min();
        let utc = match valid {
            Some(u) => u,
            None => {
                let before = table.at(local - Duration::days(1))?;
                local - Duration::seconds(i64::from(before))
            }
        };
        Some(Utc.from_utc_datetime(&utc))
    }

    /// The IANA zone that keeps the same offsets as this definition in the
    /// two years around `anchor` (at every onset and twice a month), trying
    /// the names embedded in the TZID first. `None` when no zone agrees.
    pub fn matching_iana(&self, anchor: DateTime<Utc>) -> Option<Tz> {
        let from = anchor.naive_utc() - Duration::days(366);
        let to = anchor.naive_utc() + Duration::days(366);
        let mut samples: Vec<NaiveDateTime> = Vec::new();
        for (at, _) in self.onsets(to).into_iter().filter(|(at, _)| *at >= from) {
            samples.push(at - Duration::hours(2));
            samples.push(at + Duration::hours(2));
        }
        let mut day = from;
        while day <= to {
            samples.push(day);
            day += Duration::days(15);
        }
        let table = self.offsets_until(to + Duration::days(1));
        let expected: Vec<Option<i32>> = samples.iter().map(|s| table.at(*s)).collect();
        let agrees = |tz: &Tz| {
            samples
                .iter()
                .zip(&expected)
                .all(|(s, e)| Some(offset_secs(*tz, *s)) == *e)
        };
        let guesses = embedded_iana_names(&self.tzid);
        let canonical = chrono_tz::TZ_VARIANTS
            .iter()
            .filter(|tz| tz.name().contains('/') && !tz.name().starts_with("Etc/"));
        guesses
            .iter()
            .chain(canonical)
            .find(|tz| agrees(tz))
            .copied()
    }
}

/// Onsets of a yearly (or any) `RRULE` of an observance, as local wall times.
fn expand_onsets(
    dtstart: NaiveDateTime,
    rule: &str,
    offset_from: i32,
    until_local: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    use rrule::{RRule, Tz as RTz};
    let Ok(parsed) = RRule::from_str(rule) else {
        return Vec::new();
    };
    // Expand on wall-clock time: treat local times as if they were UTC.
    let mut parsed = parsed;
    if let Some(until) = parsed.get_until().copied() {
        // A UTC UNTIL (the RFC's form) becomes local wall time; a floating one already is.
        let local_until = if until.timezone().is_local() {
            until.naive_local()
        } else {
            until.naive_utc() + Duration::seconds(i64::from(offset_from))
        };
        parsed = parsed.until(RTz::UTC.from_utc_datetime(&local_until));
    }
    let start = RTz::UTC.from_utc_datetime(&dtstart);
    let Ok(set) = parsed.build(start) else {
        return Vec::new();
    };
    set.before(RTz::UTC.from_utc_datetime(&until_local))
        .all(MAX_ONSETS)
        .dates
        .into_iter()
        .map(|d| d.naive_utc())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn gaps_move_forward_and_overlaps_take_the_first() {
        let ny = chrono_tz::America::New_York;
        // 2026-03-08 02:30 does not exist in New York: read with EST (-5).
        assert_eq!(
            local_to_utc(ny, dt("2026-03-08T02:30:00")).to_rfc3339(),
            "2026-03-08T07:30:00+00:00"
        );
        // 2026-11-01 01:30 happens twice: the first (EDT, -4).
        assert_eq!(
            local_to_utc(ny, dt("2026-11-01T01:30:00")).to_rfc3339(),
            "2026-11-01T05:30:00+00:00"
        );
    }

    #[test]
    fn every_windows_zone_resolves() {
        let mut n = 0;
        for line in WINDOWS_ZONES.lines().filter(|l| !l.starts_with('#')) {
            let (windows, zone) = line.split_once('\t').unwrap();
            assert!(iana(zone).is_some(), "{windows} -> {zone}");
            n += 1;
        }
        assert!(n > 100);
        assert_eq!(
            windows_zone("GMT Standard Time"),
            Some(chrono_tz::Europe::London)
        );
        assert_eq!(
            windows_zone("E. South America Standard Time"),
            Some(chrono_tz::America::Sao_Paulo)
        );
    }

    #[test]
    fn vendor_prefixes_are_seen_through() {
        assert_eq!(
            resolve_known_tzid("/mozilla.org/20070129_1/Europe/London"),
            Some(chrono_tz::Europe::London)
        );
        assert_eq!(
            resolve_known_tzid("custom_America/New_York"),
            Some(chrono_tz::America::New_York)
        );
        assert_eq!(resolve_known_tzid("Not a zone"), None);
    }

    fn new_york_like() -> VTimezone {
        VTimezone {
            tzid: "My Eastern".into(),
            observances: vec![
                Observance {
                    dtstart: dt("2007-03-11T02:00:00"),
                    offset_from: -5 * 3600,
                    offset_to: -4 * 3600,
                    rrule: Some("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU".into()),
                    rdates: vec![],
                },
                Observance {
                    dtstart: dt("2007-11-04T02:00:00"),
                    offset_from: -4 * 3600,
                    offset_to: -5 * 3600,
                    rrule: Some("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU".into()),
                    rdates: vec![],
                },
            ],
        }
    }

    #[test]
    fn vtimezones_are_evaluated_from_their_own_offsets() {
        let z = new_york_like();
        assert_eq!(
            z.to_utc(dt("2026-07-01T09:00:00")).unwrap().to_rfc3339(),
            "2026-07-01T13:00:00+00:00"
        );
        assert_eq!(
            z.to_utc(dt("2026-12-01T09:00:00")).unwrap().to_rfc3339(),
            "2026-12-01T14:00:00+00:00"
        );
        // Gap and overlap behave like an IANA zone.
        assert_eq!(
            z.to_utc(dt("2026-03-08T02:30:00")).unwrap().to_rfc3339(),
            "2026-03-08T07:30:00+00:00"
        );
        assert_eq!(
            z.to_utc(dt("2026-11-01T01:30:00")).unwrap().to_rfc3339(),
            "2026-11-01T05:30:00+00:00"
        );
        let anchor = Utc.from_utc_datetime(&dt("2026-07-01T00:00:00"));
        let matched = z.matching_iana(anchor).unwrap();
        assert_eq!(offset_secs(matched, dt("2026-07-01T00:00:00")), -4 * 3600);
        assert_eq!(offset_secs(matched, dt("2026-12-01T00:00:00")), -5 * 3600);
    }
}
