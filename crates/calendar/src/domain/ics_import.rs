//! Reading an iCalendar file (RFC 5545) into events, with the `icalendar`
//! crate's parser.
//!
//! Times: `…Z` is UTC; `TZID=` is resolved as an IANA name, then a Windows
//! name (CLDR mapping), then a `VTIMEZONE` of the file itself, whose own
//! offsets give the instants (the event's zone is then the IANA zone whose
//! offsets agree with it around the event, names embedded in the TZID tried
//! first); floating times and dates are read in the calendar's
//! `X-WR-TIMEZONE`, else the user's zone.
//!
//! Anything malformed fails the whole file with the reason; components we do
//! not keep (`VTODO`, `VJOURNAL`, `VALARM`, modified instances with
//! `RECURRENCE-ID`, sub-daily rules, …) are skipped and counted.

use super::event::{EventFields, MAX_UID, Timing, parse_texts};
use super::recurrence::Recurrence;
use super::zone::{self, Observance, Offsets, VTimezone, local_to_utc, start_of_day};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component as RawComponent, Property as RawProperty};
use kernel::FieldError;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Non-standard property carrying the IANA zone of an all-day event we export,
/// so a re-import keeps it (dates themselves carry no zone).
pub const ZONE_PROPERTY: &str = "X-MY-AGENT-TIMEZONE";

/// One event read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEvent {
    /// UID (synthesized from the content when the file has none).
    pub uid: String,
    /// Its fields.
    pub fields: EventFields,
    /// Cancelled occurrences (`EXDATE`), sorted.
    pub exceptions: Vec<DateTime<Utc>>,
}

/// What a file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedCalendar {
    /// Events to create or update (one per UID).
    pub events: Vec<ImportedEvent>,
    /// Skipped components and properties, by kind.
    pub skipped: BTreeMap<String, u32>,
}

enum When {
    Date(NaiveDate),
    Instant { at: DateTime<Utc>, tz: Tz },
}

struct Context {
    default_tz: Tz,
    vtimezones: HashMap<String, VTimezone>,
    /// Each VTIMEZONE's onsets, computed once (through [`OFFSETS_UNTIL`]).
    tables: HashMap<String, Offsets>,
    matched: HashMap<String, Tz>,
}

/// How far the onsets of a file's VTIMEZONEs are computed (times later than
/// this keep the last offset).
const OFFSETS_UNTIL: (i32, u32, u32) = (2200, 1, 1);

fn prop<'a>(c: &'a RawComponent<'a>, name: &str) -> Option<&'a RawProperty<'a>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(p: &'a RawProperty<'a>, name: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|x| x.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

fn parse_offset(raw: &str) -> Option<i32> {
    let raw = raw.trim();
    let (sign, digits) = match raw.as_bytes().first()? {
        b'+' => (1, &raw[1..]),
        b'-' => (-1, &raw[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<i32>().ok());
    let secs = n(0..2)? * 3600 + n(2..4)? * 60 + if digits.len() == 6 { n(4..6)? } else { 0 };
    Some(sign * secs)
}

fn parse_naive(raw: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw.trim().trim_end_matches(['Z', 'z']), "%Y%m%dT%H%M%S").ok()
}

fn parse_vtimezone(c: &RawComponent<'_>) -> Result<VTimezone, String> {
    let tzid = prop(c, "TZID")
        .map(|p| p.val.as_str().trim().to_owned())
        .ok_or("VTIMEZONE without TZID")?;
    let mut observances = Vec::new();
    for o in &c.components {
        let kind = o.name.as_str().to_ascii_uppercase();
        if kind != "STANDARD" && kind != "DAYLIGHT" {
            continue;
        }
        let bad = |what: &str| format!("VTIMEZONE {tzid}: {kind} has no valid {what}");
        let dtstart = prop(o, "DTSTART")
            .and_then(|p| parse_naive(p.val.as_str()))
            .ok_or_else(|| bad("DTSTART"))?;
        let offset_from = prop(o, "TZOFFSETFROM")
            .and_then(|p| parse_offset(p.val.as_str()))
            .ok_or_else(|| bad("TZOFFSETFROM"))?;
        let offset_to = prop(o, "TZOFFSETTO")
            .and_then(|p| parse_offset(p.val.as_str()))
            .ok_or_else(|| bad("TZOFFSETTO"))?;
        let rrule = prop(o, "RRULE").map(|p| p.val.as_str().to_owned());
        let rdates = o
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("RDATE"))
            .flat_map(|p| {
                p.val
                    .as_str()
                    .split(',')
                    .filter_map(parse_naive)
                    .collect::<Vec<_>>()
            })
            .collect();
        observances.push(Observance {
            dtstart,
            offset_from,
            offset_to,
            rrule,
            rdates,
        });
    }
    if observances.is_empty() {
        return Err(format!("VTIMEZONE {tzid} has no STANDARD or DAYLIGHT"));
    }
    Ok(VTimezone { tzid, observances })
}

impl Context {
    /// One DATE or DATE-TIME value of a property.
    fn when(&mut self, p: &RawProperty<'_>, value: &str) -> Result<When, String> {
        let value = value.trim();
        let name = p.name.as_str();
        let is_date = param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
            || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()));
        if is_date {
            return NaiveDate::parse_from_str(value, "%Y%m%d")
                .map(When::Date)
                .map_err(|_| format!("{name} {value:?} is not a DATE (YYYYMMDD)"));
        }
        let naive = parse_naive(value)
            .ok_or_else(|| format!("{name} {value:?} is not a DATE-TIME (YYYYMMDDTHHMMSS[Z])"))?;
        if value.ends_with(['Z', 'z']) {
            return Ok(When::Instant {
                at: naive.and_utc(),
                tz: Tz::UTC,
            });
        }
        let Some(tzid) = param(p, "TZID").map(str::trim) else {
            return Ok(When::Instant {
                at: local_to_utc(self.default_tz, naive),
                tz: self.default_tz,
            });
        };
        if let Some(tz) = zone::iana(tzid).or_else(|| zone::windows_zone(tzid)) {
            return Ok(When::Instant {
                at: local_to_utc(tz, naive),
                tz,
            });
        }
        if let Some(vtz) = self.vtimezones.get(tzid) {
            let table = self.tables.entry(tzid.to_owned()).or_insert_with(|| {
                let (y, m, d) = OFFSETS_UNTIL;
                let until = NaiveDate::from_ymd_opt(y, m, d)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .unwrap_or_default();
                vtz.offsets_until(until)
            });
            let at = vtz
                .to_utc_with(table, naive)
                .ok_or_else(|| format!("VTIMEZONE {tzid} cannot place {value}"))?;
            let tz = match self.matched.get(tzid) {
                Some(tz) => *tz,
                None => {
                    let tz = vtz.matching_iana(at).unwrap_or(self.default_tz);
                    self.matched.insert(tzid.to_owned(), tz);
                    tz
                }
            };
            return Ok(When::Instant { at, tz });
        }
        if let Some(tz) = zone::embedded_iana_names(tzid).into_iter().next() {
            return Ok(When::Instant {
                at: local_to_utc(tz, naive),
                tz,
            });
        }
        Err(format!(
            "{name} has TZID {tzid:?}, which is neither an IANA nor a Windows zone and has no VTIMEZONE in the file"
        ))
    }

    fn when_prop(&mut self, p: &RawProperty<'_>) -> Result<When, String> {
        let value = p.val.as_str().to_owned();
        self.when(p, &value)
    }
}

/// An RFC 5545 DURATION (`P1D`, `PT1H30M`, `P2W`, `-PT15M`): (days, seconds).
fn parse_duration(raw: &str) -> Option<(i64, i64)> {
    let raw = raw.trim();
    let (sign, rest) = match raw.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let rest = rest.strip_prefix('P')?;
    let (mut days, mut secs, mut num, mut in_time, mut any) =
        (0i64, 0i64, String::new(), false, false);
    for c in rest.chars() {
        match c {
            '0'..='9' => num.push(c),
            'T' if !in_time && num.is_empty() => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' => {
                // Up to a century in any unit keeps every later sum in range.
                let n: i64 = num.parse().ok().filter(|n| *n <= 3_200_000_000)?;
                num.clear();
                any = true;
                match (c, in_time) {
                    ('W', false) => days += 7 * n,
                    ('D', false) => days += n,
                    ('H', true) => secs += 3600 * n,
                    ('M', true) => secs += 60 * n,
                    ('S', true) => secs += n,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    (any && num.is_empty() && days <= 36_600 && secs <= 3_200_000_000)
        .then_some((sign * days, sign * secs))
}

fn synthesized_uid(c: &RawComponent<'_>) -> String {
    let mut h = Sha256::new();
    for name in ["DTSTART", "DTEND", "DURATION", "SUMMARY", "RRULE"] {
        if let Some(p) = prop(c, name) {
            h.update(name.as_bytes());
            h.update(p.val.as_str().as_bytes());
        }
        h.update([0]);
    }
    let hex: String = h
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("import-{hex}@my-agent")
}

enum Outcome {
    Event(Box<ImportedEvent>),
    Skip(&'static str),
}

fn parse_vevent(ctx: &mut Context, c: &RawComponent<'_>) -> Result<Outcome, String> {
    if prop(c, "RECURRENCE-ID").is_some() {
        return Ok(Outcome::Skip(
            "VEVENT with RECURRENCE-ID (modified occurrence)",
        ));
    }
    if prop(c, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("CANCELLED")) {
        return Ok(Outcome::Skip("VEVENT with STATUS:CANCELLED"));
    }
    let uid = match prop(c, "UID")
        .map(|p| p.val.as_str().trim())
        .filter(|u| !u.is_empty())
    {
        Some(uid) if uid.len() <= MAX_UID => uid.to_owned(),
        Some(_) => return Err(format!("UID is longer than {MAX_UID} bytes")),
        None => synthesized_uid(c),
    };
    let start_prop = prop(c, "DTSTART").ok_or("has no DTSTART")?;
    let start = ctx.when_prop(start_prop)?;
    let own_zone = prop(c, ZONE_PROPERTY).and_then(|p| zone::iana(p.val.as_str()));
    let (timing, tz) = match start {
        When::Date(day) => {
            let end = match (prop(c, "DTEND"), prop(c, "DURATION")) {
                (Some(p), _) => match ctx.when_prop(p)? {
                    When::Date(d) => d,
                    When::Instant { .. } => {
                        return Err("DTSTART is a DATE but DTEND is a DATE-TIME".into());
                    }
                },
                (None, Some(p)) => match parse_duration(p.val.as_str()).and_then(|(days, secs)| {
                    (secs == 0)
                        .then(|| day.checked_add_signed(Duration::days(days)))
                        .flatten()
                }) {
                    Some(end) => end,
                    _ => {
                        return Err(format!(
                            "DURATION {:?} must be whole days for an all-day event",
                            p.val.as_str()
                        ));
                    }
                },
                (None, None) => day.succ_opt().ok_or("DTSTART is out of range")?,
            };
            if end <= day {
                return Err("DTEND must be after DTSTART".into());
            }
            (
                Timing::AllDay { start: day, end },
                own_zone.unwrap_or(ctx.default_tz),
            )
        }
        When::Instant { at, tz } => {
            let end = match (prop(c, "DTEND"), prop(c, "DURATION")) {
                (Some(p), _) => match ctx.when_prop(p)? {
                    When::Instant { at, .. } => at,
                    When::Date(_) => {
                        return Err("DTSTART is a DATE-TIME but DTEND is a DATE".into());
                    }
                },
                (None, Some(p)) => {
                    let (days, secs) = parse_duration(p.val.as_str()).ok_or_else(|| {
                        format!("DURATION {:?} is not an RFC 5545 duration", p.val.as_str())
                    })?;
                    let local = at
                        .with_timezone(&tz)
                        .naive_local()
                        .checked_add_signed(Duration::days(days))
                        .ok_or("DURATION is out of range")?;
                    local_to_utc(tz, local)
                        .checked_add_signed(Duration::seconds(secs))
                        .ok_or("DURATION is out of range")?
                }
                (None, None) => {
                    return Ok(Outcome::Skip(
                        "VEVENT without duration (DTEND equal to DTSTART)",
                    ));
                }
            };
            if end < at {
                return Err("DTEND must not be before DTSTART".into());
            }
            if end == at {
                return Ok(Outcome::Skip(
                    "VEVENT without duration (DTEND equal to DTSTART)",
                ));
            }
            (
                Timing::Timed {
                    starts_at: at,
                    ends_at: end,
                },
                tz,
            )
        }
    };
    let first = timing.starts_at(tz);
    let recurrence = match prop(c, "RRULE").map(|p| p.val.as_str()) {
        None => None,
        Some(rule) => {
            let upper = rule.to_ascii_uppercase();
            if ["FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY"]
                .iter()
                .any(|f| upper.contains(f))
            {
                return Ok(Outcome::Skip("VEVENT with a sub-daily RRULE"));
            }
            Some(Recurrence::parse(rule, tz, first).map_err(|e| format!("RRULE {e}"))?)
        }
    };
    let mut exceptions = Vec::new();
    if recurrence.is_some() {
        for p in c
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"))
        {
            for value in p.val.as_str().split(',').filter(|v| !v.trim().is_empty()) {
                let at = match ctx.when(p, value)? {
                    When::Date(d) => start_of_day(tz, d),
                    // An all-day series is cancelled by day, whatever time a client wrote.
                    When::Instant { .. } if timing.is_all_day() => {
                        let day = value
                            .trim()
                            .get(..8)
                            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
                        start_of_day(tz, day.ok_or("EXDATE is not a date")?)
                    }
                    When::Instant { at, .. } => at,
                };
                exceptions.push(at);
            }
        }
        exceptions.sort();
        exceptions.dedup();
    }
    let mut errors = Vec::new();
    let summary = prop(c, "SUMMARY")
        .map(|p| p.val.as_str())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("(no title)");
    let (title, description, location) = parse_texts(
        &mut errors,
        summary,
        prop(c, "DESCRIPTION").map(|p| p.val.as_str()),
        prop(c, "LOCATION").map(|p| p.val.as_str()),
    );
    if let Some(e) = errors.first() {
        let name = match e.field.as_str() {
            "title" => "SUMMARY",
            "description" => "DESCRIPTION",
            _ => "LOCATION",
        };
        return Err(format!("{name} {}", e.message));
    }
    Ok(Outcome::Event(Box::new(ImportedEvent {
        uid,
        fields: EventFields {
            title: title.unwrap_or_default(),
            description,
            location,
            timing,
            timezone: tz,
            recurrence,
        },
        exceptions,
    })))
}

/// Reads a whole file; `default_tz` is the user's zone. Every problem is
/// returned at once, each naming the component it is in.
pub fn parse_calendar(text: &str, default_tz: Tz) -> Result<ParsedCalendar, Vec<FieldError>> {
    let fail = |msg: String| vec![FieldError::new("body", msg)];
    let text = text.trim_start_matches('\u{feff}');
    if !text
        .trim_start()
        .get(..15)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(fail(
            "not an iCalendar document: it must start with BEGIN:VCALENDAR".into(),
        ));
    }
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).map_err(|e| {
        let first = e.lines().take(6).collect::<Vec<_>>().join(" ");
        fail(format!("not a valid iCalendar document: {first}"))
    })?;
    let x_wr = calendar
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case("X-WR-TIMEZONE"))
        .and_then(|p| zone::resolve_known_tzid(p.val.as_str()));
    let mut ctx = Context {
        default_tz: x_wr.unwrap_or(default_tz),
        vtimezones: HashMap::new(),
        tables: HashMap::new(),
        matched: HashMap::new(),
    };
    let mut errors = Vec::new();
    for c in calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VTIMEZONE"))
    {
        match parse_vtimezone(c) {
            Ok(v) => {
                ctx.vtimezones.insert(v.tzid.clone(), v);
            }
            Err(e) => errors.push(FieldError::new("VTIMEZONE", e)),
        }
    }
    let mut out = ParsedCalendar::default();
    let mut by_uid: HashMap<String, usize> = HashMap::new();
    let mut n = 0;
    for c in &calendar.components {
        let kind = c.name.as_str().to_ascii_uppercase();
        match kind.as_str() {
            "VTIMEZONE" => {}
            "VEVENT" => {
                n += 1;
                match parse_vevent(&mut ctx, c) {
                    Ok(Outcome::Event(e)) => {
                        for sub in &c.components {
                            *out.skipped
                                .entry(sub.name.as_str().to_ascii_uppercase())
                                .or_default() += 1;
                        }
                        if c.properties
                            .iter()
                            .any(|p| p.name.as_str().eq_ignore_ascii_case("RDATE"))
                        {
                            *out.skipped
                                .entry("RDATE (not supported)".into())
                                .or_default() += 1;
                        }
                        match by_uid.get(&e.uid) {
                            Some(i) => {
                                *out.skipped
                                    .entry("VEVENT with a duplicate UID".into())
                                    .or_default() += 1;
                                out.events[*i] = *e;
                            }
                            None => {
                                by_uid.insert(e.uid.clone(), out.events.len());
                                out.events.push(*e);
                            }
                        }
                    }
                    Ok(Outcome::Skip(why)) => *out.skipped.entry(why.into()).or_default() += 1,
                    Err(e) => {
                        let uid = prop(c, "UID")
                            .map(|p| format!(" (UID {})", p.val.as_str()))
                            .unwrap_or_default();
                        errors.push(FieldError::new(format!("VEVENT {n}{uid}"), e));
                    }
                }
            }
            _ => *out.skipped.entry(kind).or_default() += 1,
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(body: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{body}END:VCALENDAR\r\n")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("P1D"), Some((1, 0)));
        assert_eq!(parse_duration("PT1H30M"), Some((0, 5400)));
        assert_eq!(parse_duration("P2W"), Some((14, 0)));
        assert_eq!(parse_duration("-PT15M"), Some((0, -900)));
        assert_eq!(parse_duration("P1DT2H"), Some((1, 7200)));
        for bad in ["", "P", "1D", "PT", "P1H", "PT1D", "P1X"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn windows_floating_utc_and_dates_are_read() {
        let text = cal(
            "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Windows\r\nDTSTART;TZID=E. South America Standard Time:20260105T090000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Floating\r\nDTSTART:20260105T090000\r\nDTEND:20260105T093000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:Day\r\nDTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE;VALUE=DATE:20260106\r\nEND:VEVENT\r\n\
BEGIN:VTODO\r\nUID:d\r\nEND:VTODO\r\n",
        );
        let parsed = parse_calendar(&text, chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(parsed.events.len(), 3);
        let a = &parsed.events[0].fields;
        assert_eq!(a.timezone, chrono_tz::America::Sao_Paulo);
        assert_eq!(
            a.timing,
            Timing::Timed {
                starts_at: utc("2026-01-05T12:00:00Z"),
                ends_at: utc("2026-01-05T13:00:00Z")
            }
        );
        let b = &parsed.events[1].fields;
        assert_eq!(b.timing.starts_at(b.timezone), utc("2026-01-05T08:00:00Z"));
        let c = &parsed.events[2];
        assert!(c.fields.timing.is_all_day());
        assert_eq!(c.exceptions, vec![utc("2026-01-05T23:00:00Z")]);
        assert_eq!(parsed.skipped.get("VTODO"), Some(&1));
    }

    #[test]
    fn many_events_in_a_custom_zone_import_quickly() {
        let mut body = String::from(
            "BEGIN:VTIMEZONE\r\nTZID:My Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n",
        );
        for i in 0..2000 {
            body.push_str(&format!(
                "BEGIN:VEVENT\r\nUID:e{i}\r\nSUMMARY:E\r\nDTSTART;TZID=My Zone:20260710T0930{:02}\r\nDTEND;TZID=My Zone:20260710T1000{:02}\r\nEND:VEVENT\r\n",
                i % 60,
                i % 60
            ));
        }
        let started = std::time::Instant::now();
        let parsed = parse_calendar(&cal(&body), chrono_tz::UTC).unwrap();
        assert_eq!(parsed.events.len(), 2000);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            parsed.events[0]
                .fields
                .timing
                .starts_at(parsed.events[0].fields.timezone),
            utc("2026-07-10T07:30:00Z")
        );
    }

    #[test]
    fn malformed_files_say_why() {
        assert!(parse_calendar("hello", chrono_tz::UTC).is_err());
        let bad = cal(
            "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026010\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:y\r\nDTSTART;TZID=Nowhere/Land:20260101T090000\r\nDTEND;TZID=Nowhere/Land:20260101T100000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:z\r\nSUMMARY:no start\r\nEND:VEVENT\r\n",
        );
        let errors = parse_calendar(&bad, chrono_tz::UTC).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[1].message.contains("Nowhere/Land"));
        assert_eq!(errors[2].field, "VEVENT 3 (UID z)");
    }
}
