//! Writing a user's events as an RFC 5545 calendar (the ICS feed).
//!
//! Events are built with the `icalendar` crate's typed builder; the
//! document is serialized through its `parser::Calendar` form, which
//! folds lines and writes CRLF but, unlike the typed writer, does not add a
//! `DTSTAMP` and a `UID` to every nested component (which would make
//! `VTIMEZONE`/`STANDARD`/`DAYLIGHT` invalid). That form writes values as
//! given, so TEXT values are escaped here (RFC 5545 §3.3.11).
//!
//! Time zones: an event in UTC is written in UTC (`…Z`); any other zone is
//! written with `TZID=<IANA name>` and a `VTIMEZONE` generated from the IANA
//! data for the years the events span, with yearly `RRULE`s for the
//! transitions that follow a "n-th weekday of the month" pattern.

use super::event::{Event, Timing};
use super::zone::{self, offset_secs};
use chrono::{DateTime, Datelike as _, Duration, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::{OffsetComponents as _, OffsetName as _, Tz};
use icalendar::parser::{
    Calendar as RawCalendar, Component as RawComponent, Property as RawProperty,
};
use icalendar::{CalendarDateTime, Component as _, EventLike as _};
use std::collections::BTreeMap;

/// How the feed describes itself.
#[derive(Clone, Debug)]
pub struct FeedOptions {
    /// `X-WR-CALNAME`.
    pub name: String,
    /// `X-WR-TIMEZONE`: the user's zone.
    pub timezone: Tz,
    /// `REFRESH-INTERVAL` and `X-PUBLISHED-TTL`.
    pub refresh: Duration,
    /// Now (bounds the generated `VTIMEZONE`s).
    pub now: DateTime<Utc>,
}

/// `PRODID` of every calendar we write.
pub const PRODID: &str = "-//my-agent//calendar 1.0//EN";

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

const TEXT_PROPERTIES: [&str; 3] = ["SUMMARY", "DESCRIPTION", "LOCATION"];

fn raw(name: &str, value: impl Into<String>) -> RawProperty<'static> {
    RawProperty {
        name: name.to_owned().into(),
        val: value.into().into(),
        params: vec![],
    }
}

fn date_time(tz: Tz, at: DateTime<Utc>) -> CalendarDateTime {
    if tz == Tz::UTC {
        CalendarDateTime::Utc(at)
    } else {
        CalendarDateTime::WithTimezone {
            date_time: at.with_timezone(&tz).naive_local(),
            tzid: tz.name().to_owned(),
        }
    }
}

/// One event as a `VEVENT`.
pub fn vevent(e: &Event) -> icalendar::Event {
    let tz = e.timezone;
    let mut ev = icalendar::Event::new();
    ev.uid(&e.uid)
        .summary(&e.title)
        .timestamp(e.updated_at)
        .created(e.created_at)
        .last_modified(e.updated_at)
        .sequence(u32::try_from(e.sequence).unwrap_or(0));
    if let Some(d) = &e.description {
        ev.description(d);
    }
    if let Some(l) = &e.location {
        ev.location(l);
    }
    match e.timing {
        Timing::AllDay { start, end } => {
            ev.starts(start).ends(end);
            // Dates carry no zone; keep the event's for a re-import of this feed.
            ev.add_property(super::ics_import::ZONE_PROPERTY, tz.name());
        }
        Timing::Timed { starts_at, ends_at } => {
            ev.starts(date_time(tz, starts_at))
                .ends(date_time(tz, ends_at));
        }
    }
    if let Some(rule) = &e.recurrence {
        ev.add_property("RRULE", rule.ics_value(tz, e.timing.is_all_day()));
        for x in &e.exceptions {
            if e.timing.is_all_day() {
                ev.exdate(zone::local_date(tz, *x));
            } else {
                ev.exdate(date_time(tz, *x));
            }
        }
    }
    ev.done()
}

/// The whole feed.
pub fn write_calendar(events: &[Event], options: &FeedOptions) -> String {
    let mut properties = vec![
        raw("VERSION", "2.0"),
        raw("PRODID", PRODID),
        raw("CALSCALE", "GREGORIAN"),
        raw("METHOD", "PUBLISH"),
        raw("X-WR-CALNAME", escape_text(&options.name)),
        raw("X-WR-TIMEZONE", options.timezone.name()),
    ];
    let ttl = iso_duration(options.refresh);
    properties.push(RawProperty {
        name: "REFRESH-INTERVAL".into(),
        val: ttl.clone().into(),
        params: vec![icalendar::parser::Parameter {
            key: "VALUE".into(),
            val: Some("DURATION".into()),
        }],
    });
    properties.push(raw("X-PUBLISHED-TTL", ttl));

    // Years each zone must cover: from its earliest event to a year past now or its latest event.
    let mut spans: BTreeMap<&'static str, (Tz, i32, i32)> = BTreeMap::new();
    // All-day events are written as DATEs and reference no zone.
    for e in events
        .iter()
        .filter(|e| e.timezone != Tz::UTC && !e.timing.is_all_day())
    {
        // A year of margin before the first event costs little and covers clients that look back.
        // (Zone data before 1900 is local mean time: not worth describing.)
        let first = (e.starts_at().year() - 1).max(1900);
        let last = e
            .series_ends_at()
            .year()
            .min(options.now.year() + 10)
            .max(first);
        let span = spans
            .entry(e.timezone.name())
            .or_insert((e.timezone, first, last));
        span.1 = span.1.min(first);
        span.2 = span.2.max(last).max(options.now.year() + 1);
    }
    let mut components: Vec<RawComponent<'static>> = spans
        .values()
        .map(|(tz, from, to)| vtimezone(*tz, *from, *to))
        .collect();
    for e in events {
        let mut c = RawComponent::from(vevent(e));
        for p in &mut c.properties {
            if TEXT_PROPERTIES.contains(&p.name.as_str()) {
                p.val = escape_text(p.val.as_str()).into();
            }
        }
        components.push(c);
    }
    RawCalendar {
        properties,
        components,
    }
    .to_string()
}

/// `PT3600S` style durations as RFC 5545 writes them (`PT1H`).
fn iso_duration(d: Duration) -> String {
    let secs = d.num_seconds().max(60);
    if secs % 3600 == 0 {
        format!("PT{}H", secs / 3600)
    } else {
        format!("PT{}M", secs / 60)
    }
}

/// One UTC-offset change of a zone.
#[derive(Clone, Debug)]
struct Transition {
    at: NaiveDateTime,
    from: i32,
    to: i32,
    daylight: bool,
    name: String,
}

fn offset_info(tz: Tz, utc: NaiveDateTime) -> (i32, bool, String) {
    let off = tz.offset_from_utc_datetime(&utc);
    let secs = offset_secs(tz, utc);
    let name = off
        .abbreviation()
        .map(str::to_owned)
        .unwrap_or_else(|| format_offset(secs));
    (secs, !off.dst_offset().is_zero(), name)
}

/// Every offset change of `tz` from the start of `from_year` to the end of `to_year`.
fn transitions(tz: Tz, from_year: i32, to_year: i32) -> Vec<Transition> {
    let start = NaiveDate::from_ymd_opt(from_year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
    let end = NaiveDate::from_ymd_opt(to_year + 1, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
    let (Some(mut t), Some(end)) = (start, end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut prev = offset_info(tz, t);
    while t < end {
        let next = t + Duration::days(1);
        let cur = offset_info(tz, next);
        if cur.0 != prev.0 || cur.1 != prev.1 {
            // Binary search the first second with the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_info(tz, mid).0 == prev.0 && offset_info(tz, mid).1 == prev.1 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(Transition {
                at: hi,
                from: prev.0,
                to: cur.0,
                daylight: cur.1,
                name: cur.2.clone(),
            });
        }
        prev = cur;
        t = next;
    }
    out
}

fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, (a % 3600) / 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// `(month, BYDAY)` of a local onset date: `-1SU` for a last weekday, `2SU` for a second.
fn yearly_pattern(local: NaiveDateTime) -> (u32, String) {
    let d = local.date();
    let wd = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
    let last = d
        .checked_add_signed(Duration::days(7))
        .is_none_or(|n| n.month() != d.month());
    let nth = if last {
        -1
    } else {
        i64::from((d.day() - 1) / 7 + 1)
    };
    (d.month(), format!("{nth}{wd}"))
}

fn observance(t: &Transition, rrule: Option<String>) -> RawComponent<'static> {
    let local = t.at + Duration::seconds(i64::from(t.from));
    let mut properties = vec![
        raw("TZOFFSETFROM", format_offset(t.from)),
        raw("TZOFFSETTO", format_offset(t.to)),
        raw("TZNAME", escape_text(&t.name)),
        raw("DTSTART", local.format("%Y%m%dT%H%M%S").to_string()),
    ];
    if let Some(rule) = rrule {
        properties.push(raw("RRULE", rule));
    }
    RawComponent {
        name: if t.daylight { "DAYLIGHT" } else { "STANDARD" }.into(),
        properties,
        components: vec![],
    }
}

/// A `VTIMEZONE` for `tz` that is exact for `from_year..=to_year`.
fn vtimezone(tz: Tz, from_year: i32, to_year: i32) -> RawComponent<'static> {
    let all = transitions(tz, from_year, to_year);
    let mut observances = Vec::new();
    if all.is_empty() {
        // No change in the span: one STANDARD (or DAYLIGHT) observance.
        let at = NaiveDate::from_ymd_opt(from_year, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        let (off, daylight, name) = offset_info(tz, at);
        observances.push(observance(
            &Transition {
                at: at - Duration::seconds(i64::from(off)),
                from: off,
                to: off,
                daylight,
                name,
            },
            None,
        ));
    }
    // Each kind on its own: onsets of consecutive years with the same pattern become one yearly rule.
    let (daylight, standard): (Vec<Transition>, Vec<Transition>) =
        all.into_iter().partition(|t| t.daylight);
    observances.extend(group_list(&daylight, to_year));
    observances.extend(group_list(&standard, to_year));
    RawComponent {
        name: "VTIMEZONE".into(),
        properties: vec![raw("TZID", tz.name()), raw("X-LIC-LOCATION", tz.name())],
        components: observances,
    }
}

/// Groups a list of same-kind transitions into yearly rules where possible.
/// A rule whose last onset falls in `to_year` (the last year examined) is
/// taken to go on, so it gets no `UNTIL`.
fn group_list(list: &[Transition], to_year: i32) -> Vec<RawComponent<'static>> {
    let mut out = Vec::new();
    let mut i = 0;
    let key = |x: &Transition| {
        let local = x.at + Duration::seconds(i64::from(x.from));
        (
            x.from,
            x.to,
            x.daylight,
            x.name.clone(),
            local.time(),
            yearly_pattern(local),
        )
    };
    while i < list.len() {
        let mut j = i;
        while j + 1 < list.len()
            && list[j + 1].daylight == list[i].daylight
            && list[j + 1].at.year() == list[j].at.year() + 1
            && key(&list[j + 1]) == key(&list[i])
        {
            j += 1;
        }
        if j == i {
            out.push(observance(&list[i], None));
        } else {
            let (month, byday) = key(&list[i]).5;
            let until = if list[j].at.year() >= to_year {
                String::new()
            } else {
                format!(";UNTIL={}", list[j].at.format("%Y%m%dT%H%M%SZ"))
            };
            out.push(observance(
                &list[i],
                Some(format!("FREQ=YEARLY;BYMONTH={month};BYDAY={byday}{until}")),
            ));
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zone::{Observance, VTimezone};

    /// Reads our own VTIMEZONE back with the VTIMEZONE evaluator and compares with the IANA data.
    fn check_zone(tz: Tz, from: i32, to: i32) {
        let c = vtimezone(tz, from, to);
        let parse_off = |s: &str| {
            let sign = if s.starts_with('-') { -1 } else { 1 };
            let d: Vec<i32> = s.as_bytes()[1..]
                .chunks(2)
                .map(|p| std::str::from_utf8(p).unwrap().parse::<i32>().unwrap())
                .collect();
            sign * (d[0] * 3600 + d[1] * 60 + d.get(2).copied().unwrap_or(0))
        };
        let observances = c
            .components
            .iter()
            .map(|o| {
                let get = |n: &str| o.find_prop(n).map(|p| p.val.as_str().to_owned());
                Observance {
                    dtstart: NaiveDateTime::parse_from_str(
                        &get("DTSTART").unwrap(),
                        "%Y%m%dT%H%M%S",
                    )
                    .unwrap(),
                    offset_from: parse_off(&get("TZOFFSETFROM").unwrap()),
                    offset_to: parse_off(&get("TZOFFSETTO").unwrap()),
                    rrule: get("RRULE"),
                    rdates: vec![],
                }
            })
            .collect();
        let v = VTimezone {
            tzid: tz.name().into(),
            observances,
        };
        let mut t = NaiveDate::from_ymd_opt(from, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let end = NaiveDate::from_ymd_opt(to + 3, 12, 31)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let table = v.offsets_until(end);
        while t < end {
            assert_eq!(
                table.at(t),
                Some(offset_secs(tz, t)),
                "{} at {t}",
                tz.name()
            );
            t += Duration::hours(13);
        }
        assert!(
            c.components.len() < 40,
            "{} has {} observances",
            tz.name(),
            c.components.len()
        );
    }

    #[test]
    fn generated_vtimezones_agree_with_the_iana_data() {
        check_zone(chrono_tz::America::New_York, 2000, 2027);
        check_zone(chrono_tz::Europe::Berlin, 1990, 2027);
        check_zone(chrono_tz::America::Sao_Paulo, 2010, 2027);
        check_zone(chrono_tz::Australia::Sydney, 2005, 2027);
        check_zone(chrono_tz::Asia::Tokyo, 2020, 2027);
        check_zone(chrono_tz::Europe::London, 1970, 2027);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}
