//! Events, their timing, and their occurrences in a window.

use super::recurrence::Recurrence;
use super::zone::{self, start_of_day};
use chrono::{DateTime, Duration, NaiveDate, SubsecRound as _, Utc};
use chrono_tz::Tz;
use kernel::{FieldError, UserId};
use std::sync::Arc;
use uuid::Uuid;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 500;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 20_000;
/// Longest location, in characters.
pub const MAX_LOCATION: usize = 1_000;
/// Longest iCalendar UID, in bytes.
pub const MAX_UID: usize = 1_000;
/// The `series_ends_at` of a series that never ends.
pub fn far_future() -> DateTime<Utc> {
    DateTime::<Utc>::MAX_UTC.min(
        NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}

/// When an event happens: two instants, or whole days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// From one instant to a later one.
    Timed {
        /// First instant.
        starts_at: DateTime<Utc>,
        /// End (exclusive), after `starts_at`.
        ends_at: DateTime<Utc>,
    },
    /// Whole days in the event's zone; `end` is exclusive (a one-day event
    /// on the 24th ends on the 25th), with no time-zone shift of the dates.
    AllDay {
        /// First day.
        start: NaiveDate,
        /// Day after the last day.
        end: NaiveDate,
    },
}

impl Timing {
    /// The first instant in `tz` (local midnight for all-day events).
    pub fn starts_at(&self, tz: Tz) -> DateTime<Utc> {
        match *self {
            Self::Timed { starts_at, .. } => starts_at,
            Self::AllDay { start, .. } => start_of_day(tz, start),
        }
    }

    /// The end instant in `tz`.
    pub fn ends_at(&self, tz: Tz) -> DateTime<Utc> {
        match *self {
            Self::Timed { ends_at, .. } => ends_at,
            Self::AllDay { end, .. } => start_of_day(tz, end),
        }
    }

    /// Whole days?
    pub fn is_all_day(&self) -> bool {
        matches!(self, Self::AllDay { .. })
    }
}

/// A calendar event (for a recurring event: the series).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Id.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// iCalendar UID, stable across exports and imports.
    pub uid: String,
    /// Title (`SUMMARY`).
    pub title: String,
    /// Free text.
    pub description: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// When (the first instance, for a series).
    pub timing: Timing,
    /// The IANA zone the event lives in: all-day dates and recurrences are in it.
    pub timezone: Tz,
    /// Recurrence rule, if the event repeats.
    pub recurrence: Option<Recurrence>,
    /// Starts of cancelled occurrences (`EXDATE`), sorted.
    pub exceptions: Vec<DateTime<Utc>>,
    /// iCalendar `SEQUENCE`: bumped on every change.
    pub sequence: i32,
    /// Creation.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// One occurrence of an event in a window.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// The event (the series, for a recurring one).
    pub event: Arc<Event>,
    /// Start of this occurrence (its identity within the series).
    pub starts_at: DateTime<Utc>,
    /// End of this occurrence.
    pub ends_at: DateTime<Utc>,
    /// For all-day events: first day and day after the last.
    pub dates: Option<(NaiveDate, NaiveDate)>,
}

impl Event {
    /// First instant.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.timing.starts_at(self.timezone)
    }

    /// End of the first instance.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.timing.ends_at(self.timezone)
    }

    /// End of the last instance (an upper bound), or [`far_future`] for an
    /// endless series: what the range query's index is built on.
    pub fn series_ends_at(&self) -> DateTime<Utc> {
        let Some(rule) = &self.recurrence else {
            return self.ends_at();
        };
        match rule.last_start(self.timezone, self.starts_at()) {
            // A day of slack covers all-day instances that are longer across a DST change.
            Some(last) => last + (self.ends_at() - self.starts_at()) + Duration::days(1),
            None => far_future(),
        }
    }

    /// The entity tag of this version (`ETag`, `If-Match`): every other field
    /// a client sees changes only with `sequence` and `updated_at`; cancelled
    /// occurrences come and go without them, so they count too.
    pub fn etag(&self) -> String {
        let exceptions: Vec<i64> = self
            .exceptions
            .iter()
            .map(DateTime::timestamp_micros)
            .collect();
        kernel::precondition::entity_tag(&format!(
            "{}|{}|{exceptions:?}",
            self.sequence,
            self.updated_at.timestamp_micros()
        ))
    }

    /// Whether `start` is the start of one of this event's instances (cancelled or not).
    pub fn has_instance_at(&self, start: DateTime<Utc>) -> bool {
        match &self.recurrence {
            None => start == self.starts_at(),
            Some(rule) => !rule
                .starts_between(
                    self.timezone,
                    self.starts_at(),
                    start,
                    start + Duration::seconds(1),
                )
                .is_empty(),
        }
    }

    /// The occurrences overlapping `[from, to)`, minus cancelled ones, by start.
    pub fn occurrences(
        self: &Arc<Self>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<Occurrence> {
        let tz = self.timezone;
        let first = self.starts_at();
        let make = |start: DateTime<Utc>| -> Occurrence {
            match self.timing {
                Timing::Timed { starts_at, ends_at } => Occurrence {
                    event: self.clone(),
                    starts_at: start,
                    ends_at: start + (ends_at - starts_at),
                    dates: None,
                },
                Timing::AllDay { start: s, end: e } => {
                    let day = zone::local_date(tz, start);
                    let last = day + (e - s);
                    Occurrence {
                        event: self.clone(),
                        starts_at: start_of_day(tz, day),
                        ends_at: start_of_day(tz, last),
                        dates: Some((day, last)),
                    }
                }
            }
        };
        let starts = match &self.recurrence {
            None => vec![first],
            Some(rule) => {
                // An instance starting this long before `from` may still overlap it.
                let longest = (self.ends_at() - first) + Duration::days(1);
                rule.starts_between(tz, first, from - longest, to)
            }
        };
        starts
            .into_iter()
            .filter(|s| self.exceptions.binary_search(s).is_err())
            .map(make)
            .filter(|o| o.starts_at < to && o.ends_at > from)
            .collect()
    }
}

/// The fields of an event as a client sends them, unparsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventDraft {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// RFC 3339 instant, or `YYYY-MM-DD` for all-day events.
    pub starts_at: String,
    /// RFC 3339 instant, or `YYYY-MM-DD` (exclusive) for all-day events.
    pub ends_at: String,
    /// Whole days?
    pub all_day: bool,
    /// IANA zone; the user's when absent.
    pub timezone: Option<String>,
    /// `RRULE` value.
    pub rrule: Option<String>,
}

/// An event's parsed fields (everything but identity and bookkeeping).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFields {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// When.
    pub timing: Timing,
    /// Zone.
    pub timezone: Tz,
    /// Rule.
    pub recurrence: Option<Recurrence>,
}

fn text(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = raw.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
        return None;
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        errors.push(FieldError::new(
            field,
            "must not contain control characters",
        ));
        return None;
    }
    Some(value.to_owned())
}

/// Parses title, description and location, pushing problems into `errors`.
pub fn parse_texts(
    errors: &mut Vec<FieldError>,
    title: &str,
    description: Option<&str>,
    location: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>) {
    let before = errors.len();
    let t = text(errors, "title", Some(title), MAX_TITLE);
    if t.is_none() && errors.len() == before {
        errors.push(FieldError::new("title", "must not be empty"));
    }
    let d = text(errors, "description", description, MAX_DESCRIPTION);
    let l = text(errors, "location", location, MAX_LOCATION);
    (t, d, l)
}

/// Parses an RFC 3339 instant, to whole seconds (what iCalendar can carry).
pub fn parse_instant(raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(0))
        .map_err(|_| {
            "must be an RFC 3339 instant with an offset, e.g. 2026-11-25T09:00:00-03:00".into()
        })
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| "an all-day event takes a date, YYYY-MM-DD".into())
}

impl EventDraft {
    /// Parses every field; all problems at once. `default_tz` is the user's zone.
    pub fn parse(&self, default_tz: Tz) -> Result<EventFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (title, description, location) = parse_texts(
            &mut errors,
            &self.title,
            self.description.as_deref(),
            self.location.as_deref(),
        );
        let timezone = match self.timezone.as_deref() {
            None => Some(default_tz),
            Some(raw) => match zone::iana(raw) {
                Some(tz) => Some(tz),
                None => {
                    errors.push(FieldError::new(
                        "timezone",
                        "must be an IANA time zone such as America/Sao_Paulo",
                    ));
                    None
                }
            },
        };
        let timing = if self.all_day {
            // A date; an instant (as responses show all-day events) stands for its local date.
            let day = |raw: &str| {
                parse_date(raw).or_else(|e| {
                    let tz = timezone.ok_or(e.clone())?;
                    parse_instant(raw)
                        .map(|t| zone::local_date(tz, t))
                        .map_err(|_| e)
                })
            };
            let start = day(&self.starts_at)
                .map_err(|e| errors.push(FieldError::new("starts_at", e)))
                .ok();
            let end = day(&self.ends_at)
                .map_err(|e| errors.push(FieldError::new("ends_at", e)))
                .ok();
            match (start, end) {
                (Some(start), Some(end)) if end > start => Some(Timing::AllDay { start, end }),
                (Some(_), Some(_)) => {
                    errors.push(FieldError::new(
                        "ends_at",
                        "must be after starts_at (the end date is exclusive)",
                    ));
                    None
                }
                _ => None,
            }
        } else {
            let start = parse_instant(&self.starts_at)
                .map_err(|e| errors.push(FieldError::new("starts_at", e)))
                .ok();
            let end = parse_instant(&self.ends_at)
                .map_err(|e| errors.push(FieldError::new("ends_at", e)))
                .ok();
            match (start, end) {
                (Some(starts_at), Some(ends_at)) if ends_at > starts_at => {
                    Some(Timing::Timed { starts_at, ends_at })
                }
                (Some(_), Some(_)) => {
                    errors.push(FieldError::new("ends_at", "must be after starts_at"));
                    None
                }
                _ => None,
            }
        };
        let recurrence = match (
            self.rrule
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty()),
            timing,
            timezone,
        ) {
            (Some(raw), Some(timing), Some(tz)) => Recurrence::parse(raw, tz, timing.starts_at(tz))
                .map_err(|e| errors.push(FieldError::new("rrule", e)))
                .ok(),
            _ => None,
        };
        match (title, timing, timezone) {
            (Some(title), Some(timing), Some(timezone)) if errors.is_empty() => Ok(EventFields {
                title,
                description,
                location,
                timing,
                timezone,
                recurrence,
            }),
            _ => Err(errors),
        }
    }
}

impl Event {
    /// The draft this event was made from (a PATCH applies on top of it).
    pub fn to_draft(&self) -> EventDraft {
        let (starts_at, ends_at) = match self.timing {
            Timing::Timed { starts_at, ends_at } => (starts_at.to_rfc3339(), ends_at.to_rfc3339()),
            Timing::AllDay { start, end } => (start.to_string(), end.to_string()),
        };
        EventDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            location: self.location.clone(),
            starts_at,
            ends_at,
            all_day: self.timing.is_all_day(),
            timezone: Some(self.timezone.name().to_owned()),
            rrule: self.recurrence.as_ref().map(Recurrence::as_text),
        }
    }
}

/// Checks an iCalendar UID.
pub fn parse_uid(raw: &str) -> Result<String, String> {
    let uid = raw.trim();
    if uid.is_empty() {
        return Err("UID must not be empty".into());
    }
    if uid.len() > MAX_UID || uid.chars().any(char::is_control) {
        return Err(format!(
            "UID must be at most {MAX_UID} bytes of printable text"
        ));
    }
    Ok(uid.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(starts: &str, ends: &str, all_day: bool) -> EventDraft {
        EventDraft {
            title: "Stand-up".into(),
            starts_at: starts.into(),
            ends_at: ends.into(),
            all_day,
            ..Default::default()
        }
    }

    fn event(fields: EventFields, exceptions: Vec<DateTime<Utc>>) -> Arc<Event> {
        Arc::new(Event {
            id: Uuid::nil(),
            user_id: UserId::from_uuid(Uuid::nil()),
            uid: "x".into(),
            title: fields.title,
            description: None,
            location: None,
            timing: fields.timing,
            timezone: fields.timezone,
            recurrence: fields.recurrence,
            exceptions,
            sequence: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        })
    }

    fn utc(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    #[test]
    fn drafts_report_every_problem() {
        let mut d = draft("yesterday", "2026-01-01T00:00:00Z", false);
        d.title = "  ".into();
        d.timezone = Some("Mars/Olympus".into());
        let errors = d.parse(chrono_tz::UTC).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "timezone", "starts_at"]);
        let backwards = draft("2026-01-01T10:00:00Z", "2026-01-01T09:00:00Z", false);
        assert_eq!(
            backwards.parse(chrono_tz::UTC).unwrap_err()[0].field,
            "ends_at"
        );
        let timed_dates = draft("2026-01-01", "2026-01-02", false);
        assert_eq!(timed_dates.parse(chrono_tz::UTC).unwrap_err().len(), 2);
        let all_day_garbage = draft("soon", "2026-01-02", true);
        assert_eq!(
            all_day_garbage.parse(chrono_tz::UTC).unwrap_err()[0].field,
            "starts_at"
        );
        // An instant stands for its local date in the event's zone.
        let mut instants = draft("2026-01-01T03:00:00Z", "2026-01-02T03:00:00Z", true);
        instants.timezone = Some("America/Sao_Paulo".into());
        let parsed = instants.parse(chrono_tz::UTC).unwrap();
        assert_eq!(
            parsed.timing,
            Timing::AllDay {
                start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()
            }
        );
    }

    #[test]
    fn all_day_events_are_local_days_of_their_zone() {
        let sp = chrono_tz::America::Sao_Paulo;
        let fields = draft("2026-12-24", "2026-12-25", true).parse(sp).unwrap();
        let e = event(fields, vec![]);
        assert_eq!(e.starts_at(), utc("2026-12-24T03:00:00Z"));
        assert_eq!(e.ends_at(), utc("2026-12-25T03:00:00Z"));
        // 23:30 on the 24th in São Paulo is already the 25th in UTC: still the event's day.
        let late = e.occurrences(utc("2026-12-25T02:30:00Z"), utc("2026-12-25T02:31:00Z"));
        assert_eq!(late.len(), 1);
        assert_eq!(
            late[0].dates,
            Some((
                NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
                NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()
            ))
        );
        // 01:00 on the 25th local is past it.
        assert!(
            e.occurrences(utc("2026-12-25T04:00:00Z"), utc("2026-12-25T05:00:00Z"))
                .is_empty()
        );
    }

    #[test]
    fn exceptions_remove_occurrences_and_overlap_counts() {
        let mut d = draft(
            "2026-03-02T09:00:00-05:00",
            "2026-03-02T10:00:00-05:00",
            false,
        );
        d.timezone = Some("America/New_York".into());
        d.rrule = Some("FREQ=DAILY;COUNT=5".into());
        let fields = d.parse(chrono_tz::UTC).unwrap();
        let e = event(fields, vec![utc("2026-03-04T14:00:00Z")]);
        let all = e.occurrences(utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z"));
        let starts: Vec<String> = all
            .iter()
            .map(|o| o.starts_at.format("%d %H").to_string())
            .collect();
        assert_eq!(starts, ["02 14", "03 14", "05 14", "06 14"]);
        // A window inside an occurrence still finds it.
        assert_eq!(
            e.occurrences(utc("2026-03-05T14:30:00Z"), utc("2026-03-05T14:31:00Z"))
                .len(),
            1
        );
        assert!(e.has_instance_at(utc("2026-03-04T14:00:00Z")));
        assert!(!e.has_instance_at(utc("2026-03-04T15:00:00Z")));
        assert_eq!(e.series_ends_at(), utc("2026-03-07T15:00:00Z"));
    }
}
