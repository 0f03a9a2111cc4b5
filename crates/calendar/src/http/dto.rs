//! Request and response bodies of the `calendar` routes.

use crate::application::{EventException, EventPatch, ImportReport};
use crate::domain::{Event, EventDraft, Occurrence, Recurrence, Timing};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Tells a missing field (`None`) from an explicit `null` (`Some(None)`).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /calendar/events`. Serialised (fields in this order, absent ones as
/// `null`) only to fingerprint the request for `Idempotency-Key`.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEventRequest {
    /// 1–500 characters.
    #[schema(example = "Dentist")]
    pub title: String,
    /// RFC 3339 instant; for an all-day event a date `YYYY-MM-DD`.
    #[schema(example = "2026-11-25T09:00:00-03:00")]
    pub starts_at: String,
    /// After `starts_at`; for an all-day event the day after the last day (exclusive).
    #[schema(example = "2026-11-25T10:00:00-03:00")]
    pub ends_at: String,
    /// Whole days (default false): the dates are taken as they are, in the event's zone.
    #[serde(default)]
    pub all_day: bool,
    /// IANA zone the event lives in (recurrences and all-day dates); default the user's.
    #[schema(example = "America/Sao_Paulo")]
    pub timezone: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// Free text, up to 20 000 characters.
    pub description: Option<String>,
    /// An RFC 5545 RRULE (DAILY, WEEKLY, MONTHLY or YEARLY).
    #[schema(example = "FREQ=WEEKLY;BYDAY=MO,WE")]
    pub rrule: Option<String>,
}

impl From<CreateEventRequest> for EventDraft {
    fn from(r: CreateEventRequest) -> Self {
        Self {
            title: r.title,
            description: r.description,
            location: r.location,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            all_day: r.all_day,
            timezone: r.timezone,
            rrule: r.rrule,
        }
    }
}

/// `PATCH /calendar/events/{id}`: any subset; `null` clears `description`, `location`, `rrule`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEventRequest {
    /// 1–500 characters.
    pub title: Option<String>,
    /// New start (instant, or date for all-day events).
    pub starts_at: Option<String>,
    /// New end.
    pub ends_at: Option<String>,
    /// Whole days or not (send dates with it).
    pub all_day: Option<bool>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// Where; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub location: Option<Option<String>>,
    /// Free text; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub description: Option<Option<String>>,
    /// Rule; `null` stops the repetition (and drops the exceptions).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub rrule: Option<Option<String>>,
}

impl From<UpdateEventRequest> for EventPatch {
    fn from(r: UpdateEventRequest) -> Self {
        Self {
            title: r.title,
            description: r.description,
            location: r.location,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            all_day: r.all_day,
            timezone: r.timezone,
            rrule: r.rrule,
        }
    }
}

/// An event (the series, for a recurring one).
#[derive(Serialize, ToSchema)]
pub struct EventResponse {
    /// Id.
    pub id: Uuid,
    /// iCalendar UID (stable across feed exports and imports).
    pub uid: String,
    /// Title.
    pub title: String,
    /// Free text.
    pub description: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// First instant (local midnight of `start_date` for all-day events), UTC.
    pub starts_at: DateTime<Utc>,
    /// End of the first instance, UTC.
    pub ends_at: DateTime<Utc>,
    /// Whole days?
    pub all_day: bool,
    /// All-day events: first day.
    pub start_date: Option<NaiveDate>,
    /// All-day events: the day after the last day (exclusive).
    pub end_date: Option<NaiveDate>,
    /// IANA zone.
    pub timezone: String,
    /// The RRULE (UNTIL in UTC), if the event repeats.
    pub rrule: Option<String>,
    /// Starts of the cancelled occurrences (EXDATE), UTC.
    pub exdates: Vec<DateTime<Utc>>,
    /// Bumped on every change (iCalendar SEQUENCE).
    pub sequence: i32,
    /// Creation.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

fn dates(t: &Timing) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match *t {
        Timing::AllDay { start, end } => (Some(start), Some(end)),
        Timing::Timed { .. } => (None, None),
    }
}

impl From<&Event> for EventResponse {
    fn from(e: &Event) -> Self {
        let (start_date, end_date) = dates(&e.timing);
        Self {
            id: e.id,
            uid: e.uid.clone(),
            title: e.title.clone(),
            description: e.description.clone(),
            location: e.location.clone(),
            starts_at: e.starts_at(),
            ends_at: e.ends_at(),
            all_day: e.timing.is_all_day(),
            start_date,
            end_date,
            timezone: e.timezone.name().to_owned(),
            rrule: e.recurrence.as_ref().map(Recurrence::as_text),
            exdates: e.exceptions.clone(),
            sequence: e.sequence,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// `GET /calendar/events`: the window, both required, at most 366 days.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// Start of the window (RFC 3339, inclusive). Required.
    #[param(required = true, format = DateTime, example = "2026-11-01T00:00:00-03:00")]
    pub from: Option<String>,
    /// End of the window (RFC 3339, exclusive). Required.
    #[param(required = true, format = DateTime, example = "2026-12-01T00:00:00-03:00")]
    pub to: Option<String>,
}

/// One occurrence in a window: a single event, or one instance of a series.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceResponse {
    /// The event (the series' id for a recurring event).
    pub event_id: Uuid,
    /// This occurrence's start: its identity within the series (cancel it with it).
    pub occurrence_start: DateTime<Utc>,
    /// Start, UTC.
    pub starts_at: DateTime<Utc>,
    /// End, UTC.
    pub ends_at: DateTime<Utc>,
    /// Whole days?
    pub all_day: bool,
    /// All-day: first day.
    pub start_date: Option<NaiveDate>,
    /// All-day: the day after the last day.
    pub end_date: Option<NaiveDate>,
    /// Part of a recurring series?
    pub recurring: bool,
    /// Title.
    pub title: String,
    /// Where.
    pub location: Option<String>,
    /// The event's IANA zone.
    pub timezone: String,
}

impl From<&Occurrence> for OccurrenceResponse {
    fn from(o: &Occurrence) -> Self {
        Self {
            event_id: o.event.id,
            occurrence_start: o.starts_at,
            starts_at: o.starts_at,
            ends_at: o.ends_at,
            all_day: o.dates.is_some(),
            start_date: o.dates.map(|d| d.0),
            end_date: o.dates.map(|d| d.1),
            recurring: o.event.recurrence.is_some(),
            title: o.event.title.clone(),
            location: o.event.location.clone(),
            timezone: o.event.timezone.name().to_owned(),
        }
    }
}

/// The occurrences overlapping a window, sorted by start. The window bounds the list.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceList {
    /// The window's start, as read.
    pub from: DateTime<Utc>,
    /// The window's end, as read.
    pub to: DateTime<Utc>,
    /// Occurrences by start.
    pub items: Vec<OccurrenceResponse>,
}

/// `POST /calendar/events/{id}/exceptions`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateExceptionRequest {
    /// The occurrence's start (RFC 3339), or its date for an all-day series.
    #[schema(example = "2026-12-02T09:00:00-03:00")]
    pub occurrence_start: String,
}

/// A cancelled occurrence.
#[derive(Serialize, ToSchema)]
pub struct ExceptionResponse {
    /// Id.
    pub id: Uuid,
    /// The series.
    pub event_id: Uuid,
    /// The cancelled occurrence's start, UTC.
    pub occurrence_start: DateTime<Utc>,
    /// When it was cancelled.
    pub created_at: DateTime<Utc>,
}

impl From<EventException> for ExceptionResponse {
    fn from(x: EventException) -> Self {
        Self {
            id: x.id,
            event_id: x.event_id,
            occurrence_start: x.occurrence_start,
            created_at: x.created_at,
        }
    }
}

/// The secret feed URL (shown once; a new one replaces it).
#[derive(Serialize, ToSchema)]
pub struct FeedTokenResponse {
    /// Subscribe to this URL in Google Calendar, Apple Calendar or Thunderbird.
    pub url: String,
}

/// `GET /calendar/feed.ics`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The secret from `POST /calendar/feed-token`.
    pub token: String,
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct ImportResponse {
    /// Events created.
    pub created: u32,
    /// Events updated (their UID already existed).
    pub updated: u32,
    /// Everything skipped, by kind (`VTODO`, `VALARM`, `VEVENT with RECURRENCE-ID …`).
    pub skipped: BTreeMap<String, u32>,
    /// Sum of `skipped`.
    pub skipped_total: u32,
}

impl From<ImportReport> for ImportResponse {
    fn from(r: ImportReport) -> Self {
        Self {
            created: r.created,
            updated: r.updated,
            skipped_total: r.skipped.values().sum(),
            skipped: r.skipped,
        }
    }
}
