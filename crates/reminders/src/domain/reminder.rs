//! The reminder entity and its life cycle.
//!
//! # The recurrence model
//! A recurring reminder is one row that walks along a series:
//! - `dtstart` is the series' first occurrence (RFC 5545 `DTSTART`); `COUNT`
//!   counts from it and every occurrence is computed from it, in the user's
//!   time zone at the time of computation.
//! - `scheduled_at` is the current occurrence *on the original schedule*.
//! - `due_at` is when the reminder is due now: `scheduled_at`, unless a snooze
//!   moved it. A snooze touches `due_at` only, so the next occurrence is still
//!   computed from the schedule.
//!
//! Completing a recurring reminder records the completion (`completed_at`)
//! and moves `scheduled_at` and `due_at` to the next occurrence: the first one
//! after `scheduled_at` (`repeat_from = due`), or the first one after both the
//! completion and `scheduled_at` (`repeat_from = completion`, skipping the
//! occurrences missed meanwhile). It stays pending, until the rule has no
//! occurrence left (COUNT or UNTIL reached): then it is done.
//!
//! Editing the due time or the rule (PATCH) starts a new series at the (new)
//! due time.

use super::kinds::{Priority, RepeatFrom, Status};
use super::rrule::{Rrule, RruleError};
use super::text::{Notes, Title};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use kernel::UserId;
use uuid::Uuid;

/// How a reminder repeats, and where it is in its series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    /// The rule.
    pub rule: Rrule,
    /// What the next occurrence is counted from.
    pub repeat_from: RepeatFrom,
    /// The series' first occurrence (`DTSTART`).
    pub dtstart: DateTime<Utc>,
    /// The current occurrence on the original schedule (before any snooze).
    pub scheduled_at: DateTime<Utc>,
}

impl Recurrence {
    /// A series of `rule` starting at `start`; the current occurrence is the first.
    pub fn start(
        rule: Rrule,
        repeat_from: RepeatFrom,
        start: DateTime<Utc>,
    ) -> Result<Self, RruleError> {
        rule.check_start(start)?;
        Ok(Self {
            rule,
            repeat_from,
            dtstart: start,
            scheduled_at: start,
        })
    }
}

/// A reminder. Every field is a parsed domain value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    /// Id (UUID v7).
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// What to do.
    pub title: Title,
    /// Details.
    pub notes: Option<Notes>,
    /// When it is due (a snooze moves it).
    pub due_at: DateTime<Utc>,
    /// Importance.
    pub priority: Priority,
    /// Pending or done.
    pub status: Status,
    /// Last completion: when it became done, or when the last occurrence of a
    /// recurring one was completed. `None` when never completed (or reopened).
    pub completed_at: Option<DateTime<Utc>>,
    /// The series, for a recurring reminder.
    pub recurrence: Option<Recurrence>,
    /// Creation.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A life-cycle step that is not possible in the reminder's state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReminderError {
    /// Completing or snoozing a reminder that is already done.
    #[error("the reminder is already done")]
    AlreadyDone,
    /// Reopening a reminder that is not done.
    #[error("the reminder is not done")]
    NotDone,
    /// Snoozing to an instant that is not in the future.
    #[error("must be in the future")]
    SnoozeNotInFuture,
    /// The next occurrence cannot be computed.
    #[error(transparent)]
    Rule(#[from] RruleError),
}

/// What a new reminder is made of.
#[derive(Clone, Debug)]
pub struct NewReminder {
    /// Title.
    pub title: Title,
    /// Notes.
    pub notes: Option<Notes>,
    /// First due instant.
    pub due_at: DateTime<Utc>,
    /// Importance.
    pub priority: Priority,
    /// Rule and what it repeats from, for a recurring reminder.
    pub repeat: Option<(Rrule, RepeatFrom)>,
}

impl Reminder {
    /// A pending reminder created at `now`; a recurring one starts its series at `due_at`.
    pub fn create(
        id: Uuid,
        user_id: UserId,
        new: NewReminder,
        now: DateTime<Utc>,
    ) -> Result<Self, RruleError> {
        let recurrence = new
            .repeat
            .map(|(rule, from)| Recurrence::start(rule, from, new.due_at))
            .transpose()?;
        Ok(Self {
            id,
            user_id,
            title: new.title,
            notes: new.notes,
            due_at: new.due_at,
            priority: new.priority,
            status: Status::Pending,
            completed_at: None,
            recurrence,
            created_at: now,
            updated_at: now,
        })
    }

    /// Sets the due time and the rule; the series (if any) restarts at `due_at`.
    pub fn reschedule(
        &mut self,
        due_at: DateTime<Utc>,
        repeat: Option<(Rrule, RepeatFrom)>,
    ) -> Result<(), RruleError> {
        self.recurrence = repeat
            .map(|(rule, from)| Recurrence::start(rule, from, due_at))
            .transpose()?;
        self.due_at = due_at;
        Ok(())
    }

    /// A strong entity tag of this version of the reminder (`"…"`, quotes
    /// included): it changes whenever any field a client can see changes.
    pub fn etag(&self) -> String {
        let rec = self.recurrence.as_ref();
        let text = format!(
            "{}|{}|{:?}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            self.id,
            self.title,
            self.notes.as_ref().map(Notes::as_str),
            self.due_at.timestamp_micros(),
            self.priority,
            self.status,
            self.completed_at.map(|t| t.timestamp_micros()),
            rec.map(|r| r.rule.as_str()),
            rec.map(|r| r.repeat_from.as_str()),
            rec.map(|r| r.dtstart.timestamp_micros()),
            rec.map(|r| r.scheduled_at.timestamp_micros()),
            self.updated_at.timestamp_micros(),
        );
        kernel::precondition::entity_tag(&text)
    }

    /// Pending and due strictly before `now` (due exactly now is not overdue yet).
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status == Status::Pending && self.due_at < now
    }

    /// Completes the current occurrence at `now`, computing the next one in `tz`.
    pub fn complete(&mut self, now: DateTime<Utc>, tz: Tz) -> Result<(), ReminderError> {
        if self.status == Status::Done {
            return Err(ReminderError::AlreadyDone);
        }
        let next = match &self.recurrence {
            None => None,
            Some(r) => {
                let after = match r.repeat_from {
                    RepeatFrom::Due => r.scheduled_at,
                    RepeatFrom::Completion => r.scheduled_at.max(now),
                };
                r.rule.next_after(r.dtstart, tz, after)?
            }
        };
        match (next, self.recurrence.as_mut()) {
            (Some(next), Some(r)) => {
                r.scheduled_at = next;
                self.due_at = next;
            }
            _ => self.status = Status::Done,
        }
        self.completed_at = Some(now);
        self.updated_at = now;
        Ok(())
    }

    /// Moves this occurrence's due time to `until`; the schedule stays.
    pub fn snooze(
        &mut self,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), ReminderError> {
        if self.status == Status::Done {
            return Err(ReminderError::AlreadyDone);
        }
        if until <= now {
            return Err(ReminderError::SnoozeNotInFuture);
        }
        self.due_at = until;
        self.updated_at = now;
        Ok(())
    }

    /// Makes a done reminder pending again, at its current due time.
    pub fn reopen(&mut self, now: DateTime<Utc>) -> Result<(), ReminderError> {
        if self.status != Status::Done {
            return Err(ReminderError::NotDone);
        }
        self.status = Status::Pending;
        self.completed_at = None;
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn reminder(due: &str, rule: Option<(&str, RepeatFrom)>) -> Reminder {
        let due_at = utc(due);
        Reminder::create(
            Uuid::now_v7(),
            UserId::generate(),
            NewReminder {
                title: Title::parse("Water the plants").unwrap(),
                notes: None,
                due_at,
                priority: Priority::Normal,
                repeat: rule.map(|(r, f)| (Rrule::parse(r).unwrap(), f)),
            },
            due_at,
        )
        .unwrap()
    }

    #[test]
    fn a_one_off_reminder_is_done_once_completed_and_can_be_reopened() {
        let mut r = reminder("2026-11-25T09:00:00Z", None);
        let now = utc("2026-11-25T10:00:00Z");
        assert!(r.is_overdue(now));
        r.complete(now, Tz::UTC).unwrap();
        assert_eq!(r.status, Status::Done);
        assert_eq!(r.completed_at, Some(now));
        assert!(!r.is_overdue(now));
        assert_eq!(r.complete(now, Tz::UTC), Err(ReminderError::AlreadyDone));
        r.reopen(now).unwrap();
        assert_eq!((r.status, r.completed_at), (Status::Pending, None));
        assert_eq!(r.reopen(now), Err(ReminderError::NotDone));
    }

    #[test]
    fn the_etag_changes_with_the_reminder() {
        let mut r = reminder("2026-11-25T09:00:00Z", None);
        let before = r.etag();
        assert!(before.starts_with('"') && before.ends_with('"') && before.len() == 18);
        assert_eq!(r.clone().etag(), before);
        r.snooze(utc("2026-11-25T10:00:00Z"), utc("2026-11-25T09:00:00Z"))
            .unwrap();
        assert_ne!(r.etag(), before);
    }

    #[test]
    fn due_exactly_now_is_not_overdue() {
        let r = reminder("2026-11-25T09:00:00Z", None);
        assert!(!r.is_overdue(utc("2026-11-25T09:00:00Z")));
        assert!(r.is_overdue(utc("2026-11-25T09:00:01Z")));
    }

    #[test]
    fn completing_a_recurring_reminder_advances_it_until_count_is_spent() {
        let mut r = reminder(
            "2026-11-25T09:00:00Z",
            Some(("FREQ=DAILY;COUNT=3", RepeatFrom::Due)),
        );
        let late = utc("2026-11-28T12:00:00Z");
        r.complete(late, Tz::UTC).unwrap();
        assert_eq!(
            r.due_at,
            utc("2026-11-26T09:00:00Z"),
            "from the due, not from now"
        );
        assert_eq!(r.status, Status::Pending);
        assert_eq!(r.completed_at, Some(late));
        r.complete(late, Tz::UTC).unwrap();
        assert_eq!(r.due_at, utc("2026-11-27T09:00:00Z"));
        r.complete(late, Tz::UTC).unwrap();
        assert_eq!(r.status, Status::Done, "three occurrences, all completed");
        assert_eq!(r.due_at, utc("2026-11-27T09:00:00Z"));
    }

    #[test]
    fn repeat_from_completion_skips_missed_occurrences() {
        let mut r = reminder(
            "2026-11-25T09:00:00Z",
            Some(("FREQ=DAILY", RepeatFrom::Completion)),
        );
        r.complete(utc("2026-11-28T12:00:00Z"), Tz::UTC).unwrap();
        assert_eq!(r.due_at, utc("2026-11-29T09:00:00Z"));
        // Completed early: still moves past the current occurrence.
        r.complete(utc("2026-11-28T13:00:00Z"), Tz::UTC).unwrap();
        assert_eq!(r.due_at, utc("2026-11-30T09:00:00Z"));
    }

    #[test]
    fn a_snooze_moves_only_this_occurrence() {
        let mut r = reminder(
            "2026-11-25T09:00:00Z",
            Some(("FREQ=DAILY", RepeatFrom::Due)),
        );
        let now = utc("2026-11-25T09:05:00Z");
        r.snooze(utc("2026-11-25T15:00:00Z"), now).unwrap();
        assert_eq!(r.due_at, utc("2026-11-25T15:00:00Z"));
        r.complete(utc("2026-11-25T15:01:00Z"), Tz::UTC).unwrap();
        assert_eq!(
            r.due_at,
            utc("2026-11-26T09:00:00Z"),
            "back on the schedule"
        );
        assert_eq!(r.snooze(now, now), Err(ReminderError::SnoozeNotInFuture));
    }

    #[test]
    fn rescheduling_restarts_the_series() {
        let mut r = reminder(
            "2026-11-25T09:00:00Z",
            Some(("FREQ=DAILY;COUNT=2", RepeatFrom::Due)),
        );
        r.complete(utc("2026-11-25T10:00:00Z"), Tz::UTC).unwrap();
        let new_due = utc("2026-12-01T08:00:00Z");
        let rule = r
            .recurrence
            .as_ref()
            .map(|x| (x.rule.clone(), x.repeat_from));
        r.reschedule(new_due, rule).unwrap();
        let rec = r.recurrence.as_ref().unwrap();
        assert_eq!(
            (rec.dtstart, rec.scheduled_at, r.due_at),
            (new_due, new_due, new_due)
        );
        let until = Rrule::parse("FREQ=DAILY;UNTIL=20261130T000000Z").unwrap();
        assert_eq!(
            r.reschedule(new_due, Some((until, RepeatFrom::Due))),
            Err(RruleError::UntilBeforeStart)
        );
    }
}
