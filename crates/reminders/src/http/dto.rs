//! Request and response bodies of the `reminders` routes.

use crate::domain::Reminder;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A field that may be absent (leave as is), `null` (clear) or a value.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A reminder.
#[derive(Serialize, ToSchema)]
pub struct ReminderResponse {
    /// Id.
    pub id: Uuid,
    /// What to do.
    pub title: String,
    /// Details.
    pub notes: Option<String>,
    /// When it is due, in UTC (a snooze moves it).
    pub due_at: DateTime<Utc>,
    /// `low`, `normal` or `high`.
    #[schema(example = "normal")]
    pub priority: String,
    /// `pending` or `done`.
    #[schema(example = "pending")]
    pub status: String,
    /// Last completion: when it became done, or when the last occurrence of a
    /// recurring reminder was completed; `null` when never completed or reopened.
    pub completed_at: Option<DateTime<Utc>>,
    /// The RFC 5545 rule, canonical form; `null` for a one-off reminder.
    #[schema(example = "FREQ=WEEKLY;BYDAY=MO")]
    pub rrule: Option<String>,
    /// `due` or `completion`; `null` for a one-off reminder.
    pub repeat_from: Option<String>,
    /// First occurrence of the series (its DTSTART); `null` for a one-off reminder.
    pub series_start: Option<DateTime<Utc>>,
    /// The current occurrence on the original schedule (equals `due_at` unless
    /// snoozed); `null` for a one-off reminder.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Creation.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<Reminder> for ReminderResponse {
    fn from(r: Reminder) -> Self {
        let rec = r.recurrence.as_ref();
        Self {
            id: r.id,
            title: r.title.as_str().to_owned(),
            notes: r.notes.as_ref().map(|n| n.as_str().to_owned()),
            due_at: r.due_at,
            priority: r.priority.as_str().to_owned(),
            status: r.status.as_str().to_owned(),
            completed_at: r.completed_at,
            rrule: rec.map(|x| x.rule.as_str().to_owned()),
            repeat_from: rec.map(|x| x.repeat_from.as_str().to_owned()),
            series_start: rec.map(|x| x.dtstart),
            scheduled_at: rec.map(|x| x.scheduled_at),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// `POST /reminders`. Serialised (fields in this order, absent ones as
/// `null`) only to fingerprint the request for `Idempotency-Key`.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReminderRequest {
    /// 1–200 characters (trimmed).
    #[schema(example = "Take out the recycling")]
    pub title: String,
    /// Up to 5,000 characters.
    pub notes: Option<String>,
    /// RFC 3339 with any offset; stored as an instant, to the second.
    #[schema(example = "2026-11-25T18:00:00-03:00")]
    pub due_at: String,
    /// `low`, `normal` (default) or `high`.
    pub priority: Option<String>,
    /// An RFC 5545 RRULE value (no `RRULE:` prefix). Occurrences are computed
    /// in the user's time zone from `due_at`, the first occurrence. UNTIL must
    /// be UTC (`…Z`) and not combined with COUNT; FREQ is HOURLY or slower.
    #[schema(example = "FREQ=WEEKLY;BYDAY=MO")]
    pub rrule: Option<String>,
    /// `due` (default): the next occurrence follows the current one;
    /// `completion`: the next occurrence after the moment it is completed.
    /// Only with `rrule`.
    pub repeat_from: Option<String>,
}

/// `PATCH /reminders/{id}`: any subset of the fields. Changing `due_at` or
/// `rrule` restarts a recurring series at the (new) due time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReminderRequest {
    /// 1–200 characters.
    pub title: Option<String>,
    /// Up to 5,000 characters; `null` clears.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// RFC 3339 with any offset.
    pub due_at: Option<String>,
    /// `low`, `normal` or `high`.
    pub priority: Option<String>,
    /// An RFC 5545 RRULE value; `null` stops the repetition.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub rrule: Option<Option<String>>,
    /// `due` or `completion` (a recurring reminder only).
    pub repeat_from: Option<String>,
}

/// `POST /reminders/{id}/snooze`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnoozeRequest {
    /// The new due time of this occurrence only: RFC 3339, in the future.
    #[schema(example = "2026-11-25T19:30:00-03:00")]
    pub until: String,
}

/// Filters and page of `GET /reminders`. Filters combine (AND).
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `pending` or `done`.
    #[param(pattern = "^(pending|done)$")]
    pub status: Option<String>,
    /// `low`, `normal` or `high`.
    #[param(pattern = "^(low|normal|high)$")]
    pub priority: Option<String>,
    /// Due at or after this instant (RFC 3339; encode `+` as `%2B`).
    #[param(format = DateTime)]
    pub due_from: Option<String>,
    /// Due strictly before this instant (RFC 3339).
    #[param(format = DateTime)]
    pub due_to: Option<String>,
    /// `true`: only pending reminders due strictly before now. `false` is no filter.
    pub overdue: Option<bool>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page; omit for the first page.
    pub cursor: Option<String>,
}
