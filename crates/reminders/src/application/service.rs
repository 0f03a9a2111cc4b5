//! The `reminders` module's façade: every use case, over raw input that it
//! parses into domain values (each problem named, all at once).

use super::ports::{ListFilter, ListKey, ReminderRepo, UserTimezones};
use crate::domain::{
    NewReminder, Notes, Priority, Reminder, ReminderError, RepeatFrom, Rrule, RruleError, Status,
    Title, parse_instant,
};
use chrono::{DateTime, Utc};
use kernel::idempotency::{
    Idempotency, IdempotencyStore, IdempotentRequest, Outcome, StoredResponse, Work,
};
use kernel::pagination::{Page, PageRequest};
use kernel::precondition::{IfMatch, require};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, Clock, FieldError, Transactor, UserId, transaction};
use std::sync::Arc;
use uuid::Uuid;

/// A reminder to create, raw (from a request body).
#[derive(Clone, Debug, Default)]
pub struct NewReminderInput {
    /// 1–200 characters.
    pub title: String,
    /// Up to 5,000 characters.
    pub notes: Option<String>,
    /// RFC 3339 instant, any offset.
    pub due_at: String,
    /// `low`, `normal` (default) or `high`.
    pub priority: Option<String>,
    /// RFC 5545 RRULE value.
    pub rrule: Option<String>,
    /// `due` (default) or `completion`; only with `rrule`.
    pub repeat_from: Option<String>,
}

/// A partial update, raw. `None` leaves a field as it is; for `notes` and
/// `rrule`, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct ReminderPatch {
    /// New title.
    pub title: Option<String>,
    /// New notes, or `Some(None)` to clear them.
    pub notes: Option<Option<String>>,
    /// New due instant (restarts a recurring series there).
    pub due_at: Option<String>,
    /// New priority.
    pub priority: Option<String>,
    /// New rule (restarts the series at the due time), or `Some(None)` to stop repeating.
    pub rrule: Option<Option<String>>,
    /// New `repeat_from`.
    pub repeat_from: Option<String>,
}

/// List filters, raw (from a query string).
#[derive(Clone, Debug, Default)]
pub struct ListParams {
    /// `pending` or `done`.
    pub status: Option<String>,
    /// `low`, `normal` or `high`.
    pub priority: Option<String>,
    /// Due at or after (RFC 3339).
    pub due_from: Option<String>,
    /// Due before (RFC 3339).
    pub due_to: Option<String>,
    /// `true`: only pending reminders due before now.
    pub overdue: Option<bool>,
}

/// What the dashboard shows of a user's reminders at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attention {
    /// Pending reminders due strictly before the instant.
    pub overdue_count: i64,
    /// The next pending reminders due at or after the instant, by due time.
    pub next: Vec<Reminder>,
}

/// The `reminders` module's use cases.
#[derive(Clone)]
pub struct RemindersService {
    pub(super) repo: Arc<dyn ReminderRepo>,
    pub(super) idempotency: Idempotency,
    timezones: Arc<dyn UserTimezones>,
    transactor: Arc<dyn Transactor>,
    clock: Arc<dyn Clock>,
}

/// Parses an optional raw value, recording a problem under `field`.
fn parse_field<T, E: std::fmt::Display>(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<T> {
    raw.and_then(|raw| {
        parse(raw)
            .map_err(|e| errors.push(FieldError::new(field, e.to_string())))
            .ok()
    })
}

/// Query strings turn an unencoded `+` of an offset into a space; read it back.
fn parse_query_instant(raw: &str) -> Result<DateTime<Utc>, crate::domain::InstantError> {
    parse_instant(raw).or_else(|e| parse_instant(&raw.replace(' ', "+")).map_err(|_| e))
}

fn rule_error(err: RruleError) -> ApiError {
    match err {
        RruleError::TooManyOccurrences => ApiError::Unprocessable(err.to_string()),
        other => ApiError::field("rrule", other.to_string()),
    }
}

fn lifecycle_error(err: ReminderError) -> ApiError {
    match err {
        ReminderError::AlreadyDone | ReminderError::NotDone => ApiError::Conflict(format!("{err}")),
        ReminderError::SnoozeNotInFuture => ApiError::field("until", err.to_string()),
        ReminderError::Rule(e) => rule_error(e),
    }
}

const REPEAT_NEEDS_RULE: &str = "needs an rrule: only a recurring reminder repeats";

impl RemindersService {
    /// Assembles the service. `idempotency`: `reminders.idempotency_keys`.
    pub fn new(
        repo: Arc<dyn ReminderRepo>,
        idempotency: Arc<dyn IdempotencyStore>,
        timezones: Arc<dyn UserTimezones>,
        transactor: Arc<dyn Transactor>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            repo,
            idempotency: Idempotency::new(idempotency, transactor.clone()),
            timezones,
            transactor,
            clock,
        }
    }

    /// Creates a pending reminder; a recurring one starts its series at `due_at`.
    /// With an idempotency key, a repeat replays the first response
    /// (`render` gives the response to store) and creates nothing.
    pub async fn create<R>(
        &self,
        user_id: UserId,
        input: NewReminderInput,
        request: Option<&IdempotentRequest>,
        render: R,
    ) -> Result<Outcome<Reminder>, ApiError>
    where
        R: FnOnce(&Reminder) -> Result<StoredResponse, ApiError> + Send,
    {
        let mut errors = Vec::new();
        let title = parse_field(&mut errors, "title", Some(&input.title), Title::parse);
        let notes = parse_field(&mut errors, "notes", input.notes.as_deref(), Notes::parse);
        let due_at = parse_field(&mut errors, "due_at", Some(&input.due_at), parse_instant);
        let priority = parse_field(
            &mut errors,
            "priority",
            input.priority.as_deref(),
            Priority::parse,
        );
        let rule = parse_field(&mut errors, "rrule", input.rrule.as_deref(), Rrule::parse);
        let repeat_from = parse_field(
            &mut errors,
            "repeat_from",
            input.repeat_from.as_deref(),
            RepeatFrom::parse,
        );
        if input.repeat_from.is_some() && input.rrule.is_none() {
            errors.push(FieldError::new("repeat_from", REPEAT_NEEDS_RULE));
        }
        let (Some(title), Some(due_at), true) = (title, due_at, errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        let now = self.clock.now();
        let reminder = Reminder::create(
            kernel::ids::new_id(),
            user_id,
            NewReminder {
                title,
                notes: notes.flatten(),
                due_at,
                priority: priority.unwrap_or_default(),
                repeat: rule.map(|r| (r, repeat_from.unwrap_or_default())),
            },
            now,
        )
        .map_err(rule_error)?;
        let repo = self.repo.clone();
        let work: Work<'_, Reminder> = Box::new(move |tx| {
            async move {
                repo.insert(tx, &reminder).await?;
                Ok(reminder)
            }
            .scope_boxed()
        });
        self.idempotency
            .create(user_id, request, now, work, render)
            .await
    }

    /// One of the user's reminders; 404 when absent or someone else's.
    pub async fn get(&self, user_id: UserId, id: Uuid) -> Result<Reminder, ApiError> {
        self.repo.find(user_id, id).await?.ok_or(ApiError::NotFound)
    }

    /// One page of the user's reminders, by `(due_at, id)`.
    pub async fn list(
        &self,
        user_id: UserId,
        params: &ListParams,
        page: &PageRequest<ListKey>,
    ) -> Result<Page<Reminder>, ApiError> {
        let mut errors = Vec::new();
        let filter = ListFilter {
            status: parse_field(
                &mut errors,
                "status",
                params.status.as_deref(),
                Status::parse,
            ),
            priority: parse_field(
                &mut errors,
                "priority",
                params.priority.as_deref(),
                Priority::parse,
            ),
            due_from: parse_field(
                &mut errors,
                "due_from",
                params.due_from.as_deref(),
                parse_query_instant,
            ),
            due_to: parse_field(
                &mut errors,
                "due_to",
                params.due_to.as_deref(),
                parse_query_instant,
            ),
            overdue_at: (params.overdue == Some(true)).then(|| self.clock.now()),
        };
        if let (Some(from), Some(to)) = (filter.due_from, filter.due_to)
            && from > to
        {
            errors.push(FieldError::new("due_to", "must not be before due_from"));
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let rows = self.repo.list(user_id, &filter, page).await?;
        Ok(Page::from_rows(rows, page.limit, |r| (r.due_at, r.id)))
    }

    /// Applies a partial update; every problem at once, nothing changed on error.
    pub async fn update(
        &self,
        user_id: UserId,
        id: Uuid,
        patch: ReminderPatch,
        if_match: Option<IfMatch>,
    ) -> Result<Reminder, ApiError> {
        let mut errors = Vec::new();
        let title = parse_field(&mut errors, "title", patch.title.as_deref(), Title::parse);
        let notes = match &patch.notes {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => parse_field(&mut errors, "notes", Some(raw), Notes::parse).map(Some),
        };
        let due_at = parse_field(
            &mut errors,
            "due_at",
            patch.due_at.as_deref(),
            parse_instant,
        );
        let priority = parse_field(
            &mut errors,
            "priority",
            patch.priority.as_deref(),
            Priority::parse,
        );
        let rule = match &patch.rrule {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => parse_field(&mut errors, "rrule", Some(raw), Rrule::parse).map(Some),
        };
        let repeat_from = parse_field(
            &mut errors,
            "repeat_from",
            patch.repeat_from.as_deref(),
            RepeatFrom::parse,
        );
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let now = self.clock.now();
        self.modify(user_id, id, if_match, move |r| {
            if let Some(title) = title {
                r.title = title;
            }
            if let Some(notes) = notes {
                r.notes = notes.flatten();
            }
            if let Some(priority) = priority {
                r.priority = priority;
            }
            let current = r
                .recurrence
                .as_ref()
                .map(|x| (x.rule.clone(), x.repeat_from));
            let rule_after = match &rule {
                Some(new) => new.clone(),
                None => current.as_ref().map(|(rule, _)| rule.clone()),
            };
            if repeat_from.is_some() && rule_after.is_none() {
                return Err(ApiError::field("repeat_from", REPEAT_NEEDS_RULE));
            }
            let from = repeat_from
                .or(current.as_ref().map(|(_, from)| *from))
                .unwrap_or_default();
            if due_at.is_some() || rule.is_some() {
                let due = due_at.unwrap_or(r.due_at);
                r.reschedule(due, rule_after.map(|rule| (rule, from)))
                    .map_err(rule_error)?;
            } else if let Some(recurrence) = r.recurrence.as_mut() {
                recurrence.repeat_from = from;
            }
            r.updated_at = now;
            Ok(())
        })
        .await
    }

    /// Deletes one of the user's reminders; 404 when there is none, 412 when
    /// `if_match` no longer matches it.
    pub async fn delete(
        &self,
        user_id: UserId,
        id: Uuid,
        if_match: Option<IfMatch>,
    ) -> Result<(), ApiError> {
        let repo = &*self.repo;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                if let Some(precondition) = &if_match {
                    let current = repo
                        .find_for_update(&mut tx, user_id, id)
                        .await?
                        .ok_or(ApiError::NotFound)?;
                    require(Some(precondition), || current.etag())?;
                }
                if repo.delete(&mut tx, user_id, id).await? {
                    Ok(())
                } else {
                    Err(ApiError::NotFound)
                }
            }
            .scope_boxed()
        })
        .await
    }

    /// Completes a reminder: done, or (recurring) on to its next occurrence,
    /// computed in the user's current time zone. 409 when already done.
    pub async fn complete(&self, user_id: UserId, id: Uuid) -> Result<Reminder, ApiError> {
        let tz = self.timezones.timezone(user_id).await?;
        let now = self.clock.now();
        self.modify(user_id, id, None, move |r| {
            r.complete(now, tz).map_err(lifecycle_error)
        })
        .await
    }

    /// Moves this occurrence's due time to `until` (RFC 3339, in the future);
    /// the schedule stays. 409 when done.
    pub async fn snooze(
        &self,
        user_id: UserId,
        id: Uuid,
        until: &str,
    ) -> Result<Reminder, ApiError> {
        let until = parse_instant(until).map_err(|e| ApiError::field("until", e.to_string()))?;
        let now = self.clock.now();
        self.modify(user_id, id, None, move |r| {
            r.snooze(until, now).map_err(lifecycle_error)
        })
        .await
    }

    /// Makes a done reminder pending again. 409 when it is not done.
    pub async fn reopen(&self, user_id: UserId, id: Uuid) -> Result<Reminder, ApiError> {
        let now = self.clock.now();
        self.modify(user_id, id, None, move |r| {
            r.reopen(now).map_err(lifecycle_error)
        })
        .await
    }

    /// For the dashboard: how many reminders are overdue at `now`, and the
    /// next `next` pending ones due from `now` on. Both are index-backed.
    pub async fn attention(
        &self,
        user_id: UserId,
        now: DateTime<Utc>,
        next: u16,
    ) -> Result<Attention, ApiError> {
        let overdue_count = self.repo.count_overdue(user_id, now).await?;
        let next = self
            .repo
            .next_pending(user_id, now, i64::from(next))
            .await?;
        Ok(Attention {
            overdue_count,
            next,
        })
    }

    /// Reads (locked), checks `if_match`, changes and writes one reminder in one transaction.
    async fn modify<F>(
        &self,
        user_id: UserId,
        id: Uuid,
        if_match: Option<IfMatch>,
        change: F,
    ) -> Result<Reminder, ApiError>
    where
        F: FnOnce(&mut Reminder) -> Result<(), ApiError> + Send,
    {
        let repo = &*self.repo;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let mut reminder = repo
                    .find_for_update(&mut tx, user_id, id)
                    .await?
                    .ok_or(ApiError::NotFound)?;
                require(if_match.as_ref(), || reminder.etag())?;
                change(&mut reminder)?;
                if !repo.update(&mut tx, &reminder).await? {
                    return Err(ApiError::NotFound);
                }
                Ok(reminder)
            }
            .scope_boxed()
        })
        .await
    }
}
