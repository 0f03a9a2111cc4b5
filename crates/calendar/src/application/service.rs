//! The `calendar` module's façade: its use cases.

use super::ports::{EventException, EventRepo, FeedTokenRepo, UserTimezones};
use crate::domain::event::{far_future, parse_date, parse_instant, parse_uid};
use crate::domain::zone::{local_to_utc, start_of_day};
use crate::domain::{
    Event, EventDraft, EventFields, FeedOptions, FeedToken, Occurrence, Timing, parse_calendar,
    write_calendar,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use kernel::idempotency::{
    Idempotency, IdempotencyStore, IdempotentRequest, Outcome, StoredResponse, Work,
};
use kernel::precondition::{IfMatch, require};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, Clock, FieldError, Transactor, Tx, UserId, transaction};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// Longest window of a range query.
pub const MAX_WINDOW_DAYS: i64 = 366;
/// Largest ICS import, in bytes.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;
/// How far ahead "the next occurrences after today" looks.
pub const AGENDA_HORIZON_DAYS: i64 = 366;
/// How often feed subscribers are asked to refresh.
pub const FEED_REFRESH_MINUTES: i64 = 60;

/// A partial update, raw; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct EventPatch {
    /// New title.
    pub title: Option<String>,
    /// New description, or clear it.
    pub description: Option<Option<String>>,
    /// New location, or clear it.
    pub location: Option<Option<String>>,
    /// New start.
    pub starts_at: Option<String>,
    /// New end.
    pub ends_at: Option<String>,
    /// Whole days or not.
    pub all_day: Option<bool>,
    /// New zone.
    pub timezone: Option<String>,
    /// New rule, or stop repeating.
    pub rrule: Option<Option<String>>,
}

/// A user's day and what follows it (for the dashboard).
#[derive(Clone, Debug)]
pub struct Agenda {
    /// The user's zone.
    pub timezone: Tz,
    /// Today, in that zone.
    pub date: NaiveDate,
    /// Occurrences overlapping today, by start.
    pub today: Vec<Occurrence>,
    /// The next occurrences starting after today (within a year), by start.
    pub upcoming: Vec<Occurrence>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Events created.
    pub created: u32,
    /// Events updated (same UID as an existing one).
    pub updated: u32,
    /// Components and properties skipped, by kind.
    pub skipped: BTreeMap<String, u32>,
}

/// The `calendar` module's use cases.
#[derive(Clone)]
pub struct CalendarService {
    events: Arc<dyn EventRepo>,
    tokens: Arc<dyn FeedTokenRepo>,
    idempotency: Idempotency,
    transactor: Arc<dyn Transactor>,
    zones: Arc<dyn UserTimezones>,
    clock: Arc<dyn Clock>,
}

impl CalendarService {
    /// Assembles the service.
    /// `idempotency`: `calendar.idempotency_keys`; `transactor`: the
    /// transactions writes (and a keyed create) run in.
    pub fn new(
        events: Arc<dyn EventRepo>,
        tokens: Arc<dyn FeedTokenRepo>,
        idempotency: Arc<dyn IdempotencyStore>,
        transactor: Arc<dyn Transactor>,
        zones: Arc<dyn UserTimezones>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            events,
            tokens,
            idempotency: Idempotency::new(idempotency, transactor.clone()),
            transactor,
            zones,
            clock,
        }
    }

    pub(crate) fn repo(&self) -> &Arc<dyn EventRepo> {
        &self.events
    }

    pub(crate) fn token_repo(&self) -> &Arc<dyn FeedTokenRepo> {
        &self.tokens
    }

    pub(crate) fn idempotency_store(&self) -> &Arc<dyn IdempotencyStore> {
        self.idempotency.store()
    }

    /// Creates an event; the zone defaults to the user's. With an idempotency
    /// key, a repeat replays the first response (`render` gives the response
    /// to store) and creates nothing.
    pub async fn create<R>(
        &self,
        user_id: UserId,
        draft: &EventDraft,
        request: Option<&IdempotentRequest>,
        render: R,
    ) -> Result<Outcome<Event>, ApiError>
    where
        R: FnOnce(&Event) -> Result<StoredResponse, ApiError> + Send,
    {
        let tz = self.zones.timezone(user_id).await?;
        let fields = draft.parse(tz).map_err(ApiError::Validation)?;
        let now = self.clock.now();
        let id = kernel::ids::new_id();
        let event = build(
            id,
            user_id,
            format!("{id}@my-agent"),
            fields,
            vec![],
            0,
            now,
            now,
        );
        let events = self.events.clone();
        let work: Work<'_, Event> = Box::new(move |tx| {
            async move {
                events.insert(tx, &event).await?;
                Ok(event)
            }
            .scope_boxed()
        });
        self.idempotency
            .create(user_id, request, now, work, render)
            .await
    }

    /// One event (the series, for a recurring one).
    pub async fn get(&self, user_id: UserId, id: Uuid) -> Result<Event, ApiError> {
        self.events
            .find(user_id, id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Applies a partial update. Cancelled occurrences follow the series: if
    /// its start moves, they move by the same local amount; those no longer
    /// an instance of the new rule are dropped.
    /// `if_match`: the `If-Match` header, if sent (412 when it no longer
    /// matches), checked on the event locked in the write's transaction.
    pub async fn update(
        &self,
        user_id: UserId,
        id: Uuid,
        patch: &EventPatch,
        if_match: Option<&IfMatch>,
    ) -> Result<Event, ApiError> {
        let now = self.clock.now();
        let events = &*self.events;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let old = locked(events, &mut tx, user_id, id).await?;
                require(if_match, || old.etag())?;
                let event = patched(&old, patch, user_id, now)?;
                if !events.update(&mut tx, &event).await? {
                    return Err(ApiError::NotFound);
                }
                Ok(event)
            }
            .scope_boxed()
        })
        .await
    }

    /// Deletes an event (a whole series) and its exceptions; `if_match` as for [`Self::update`].
    pub async fn delete(
        &self,
        user_id: UserId,
        id: Uuid,
        if_match: Option<&IfMatch>,
    ) -> Result<(), ApiError> {
        let events = &*self.events;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let old = locked(events, &mut tx, user_id, id).await?;
                require(if_match, || old.etag())?;
                if events.delete(&mut tx, user_id, id).await? {
                    Ok(())
                } else {
                    Err(ApiError::NotFound)
                }
            }
            .scope_boxed()
        })
        .await
    }

    /// Cancels one occurrence of a series. `raw` is the occurrence's start
    /// (RFC 3339), or its date for an all-day series. `false` when it was
    /// already cancelled (the existing record is returned).
    pub async fn cancel_occurrence(
        &self,
        user_id: UserId,
        id: Uuid,
        raw: &str,
    ) -> Result<(EventException, bool), ApiError> {
        let now = self.clock.now();
        let events = &*self.events;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let event = locked(events, &mut tx, user_id, id).await?;
                let start = occurrence_start(&event, raw)?;
                let exception = EventException {
                    id: kernel::ids::new_id(),
                    event_id: id,
                    occurrence_start: start,
                    created_at: now,
                };
                Ok(events.add_exception(&mut tx, user_id, &exception).await?)
            }
            .scope_boxed()
        })
        .await
    }

    /// Restores a cancelled occurrence.
    pub async fn restore_occurrence(
        &self,
        user_id: UserId,
        id: Uuid,
        exception_id: Uuid,
    ) -> Result<(), ApiError> {
        let events = &*self.events;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                locked(events, &mut tx, user_id, id).await?;
                if events
                    .delete_exception(&mut tx, user_id, id, exception_id)
                    .await?
                {
                    Ok(())
                } else {
                    Err(ApiError::NotFound)
                }
            }
            .scope_boxed()
        })
        .await
    }

    /// Every single event and every occurrence of a series overlapping
    /// `[from, to)`, minus cancelled ones, by start. The window is at most a year.
    pub async fn occurrences(
        &self,
        user_id: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Occurrence>, ApiError> {
        if to <= from {
            return Err(ApiError::field("to", "must be after from"));
        }
        if to - from > Duration::days(MAX_WINDOW_DAYS) {
            return Err(ApiError::field(
                "to",
                format!("the window may span at most {MAX_WINDOW_DAYS} days"),
            ));
        }
        self.expand(user_id, from, to).await
    }

    async fn expand(
        &self,
        user_id: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Occurrence>, ApiError> {
        let events = self.events.overlapping(user_id, from, to).await?;
        let mut out: Vec<Occurrence> = events
            .into_iter()
            .map(Arc::new)
            .flat_map(|e| e.occurrences(from, to))
            .collect();
        out.sort_by_key(|o| (o.starts_at, o.event.id));
        Ok(out)
    }

    /// The user's occurrences today (in their zone, by this service's clock)
    /// and the next `next` that start after today.
    pub async fn agenda(&self, user_id: UserId, next: usize) -> Result<Agenda, ApiError> {
        let tz = self.zones.timezone(user_id).await?;
        let today = self.clock.now().with_timezone(&tz).date_naive();
        self.agenda_on(user_id, tz, today, next).await
    }

    /// The occurrences of the local day `date` in `tz` and the next `next`
    /// that start after it (within a year): what the dashboard shows, for a
    /// caller that already knows the user's zone and date.
    pub async fn agenda_on(
        &self,
        user_id: UserId,
        tz: Tz,
        date: NaiveDate,
        next: usize,
    ) -> Result<Agenda, ApiError> {
        let tomorrow = date
            .succ_opt()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no day after {date}")))?;
        let (day_start, day_end) = (start_of_day(tz, date), start_of_day(tz, tomorrow));
        let today = self.expand(user_id, day_start, day_end).await?;
        let mut upcoming = Vec::new();
        if next > 0 {
            for days in [7, 31, 92, AGENDA_HORIZON_DAYS] {
                let found: Vec<Occurrence> = self
                    .expand(user_id, day_end, day_end + Duration::days(days))
                    .await?
                    .into_iter()
                    .filter(|o| o.starts_at >= day_end)
                    .collect();
                upcoming = found;
                if upcoming.len() >= next {
                    break;
                }
            }
            upcoming.truncate(next);
        }
        Ok(Agenda {
            timezone: tz,
            date,
            today,
            upcoming,
        })
    }

    /// Creates or rotates the user's feed token; the previous URL stops working.
    pub async fn rotate_feed_token(&self, user_id: UserId) -> Result<FeedToken, ApiError> {
        let token = FeedToken::generate(user_id);
        self.tokens
            .replace(user_id, &token.hash(), self.clock.now())
            .await?;
        Ok(token)
    }

    /// The ICS feed behind a token; any token that is not current is a 404.
    pub async fn feed(&self, raw_token: &str) -> Result<String, ApiError> {
        let token = FeedToken::parse(raw_token).ok_or(ApiError::NotFound)?;
        let user_id = token.user_id();
        if !self.tokens.verify(user_id, &token.hash()).await? {
            return Err(ApiError::NotFound);
        }
        let tz = self.zones.timezone(user_id).await?;
        let events = self.events.all(user_id).await?;
        Ok(write_calendar(
            &events,
            &FeedOptions {
                name: "my-agent".into(),
                timezone: tz,
                refresh: Duration::minutes(FEED_REFRESH_MINUTES),
                now: self.clock.now(),
            },
        ))
    }

    /// Imports an iCalendar file: creates new events, updates those whose UID
    /// exists, all or nothing. Malformed input is a 422 naming each problem.
    pub async fn import(&self, user_id: UserId, body: &[u8]) -> Result<ImportReport, ApiError> {
        if body.len() > MAX_IMPORT_BYTES {
            return Err(ApiError::PayloadTooLarge(format!(
                "an import may be at most {MAX_IMPORT_BYTES} bytes"
            )));
        }
        let text = std::str::from_utf8(body)
            .map_err(|_| ApiError::field("body", "the calendar is not UTF-8 text"))?;
        let tz = self.zones.timezone(user_id).await?;
        let parsed = parse_calendar(text, tz).map_err(ApiError::Validation)?;
        let uids: Vec<String> = parsed.events.iter().map(|e| e.uid.clone()).collect();
        let existing: HashMap<String, _> = self
            .events
            .find_by_uids(user_id, &uids)
            .await?
            .into_iter()
            .map(|m| (m.uid.clone(), m))
            .collect();
        let now = self.clock.now();
        let (mut creates, mut updates) = (Vec::new(), Vec::new());
        for e in parsed.events {
            let uid = parse_uid(&e.uid)
                .map_err(|m| ApiError::Validation(vec![FieldError::new("body", m)]))?;
            match existing.get(&uid) {
                Some(m) => updates.push(build(
                    m.id,
                    user_id,
                    uid,
                    e.fields,
                    e.exceptions,
                    m.sequence.saturating_add(1),
                    m.created_at,
                    now,
                )),
                None => creates.push(build(
                    kernel::ids::new_id(),
                    user_id,
                    uid,
                    e.fields,
                    e.exceptions,
                    0,
                    now,
                    now,
                )),
            }
        }
        self.events.import(user_id, &creates, &updates).await?;
        Ok(ImportReport {
            created: u32::try_from(creates.len()).unwrap_or(u32::MAX),
            updated: u32::try_from(updates.len()).unwrap_or(u32::MAX),
            skipped: parsed.skipped,
        })
    }
}

/// The user's event `id`, its row locked until `tx` ends; 404 when there is none.
async fn locked(
    events: &dyn EventRepo,
    tx: &mut Tx<'_>,
    user_id: UserId,
    id: Uuid,
) -> Result<Event, ApiError> {
    events
        .find_for_update(tx, user_id, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `old` with `patch` applied, one revision later, its cancelled occurrences carried over.
fn patched(
    old: &Event,
    patch: &EventPatch,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Event, ApiError> {
    let mut draft = old.to_draft();
    if let Some(v) = &patch.title {
        draft.title.clone_from(v);
    }
    if let Some(v) = &patch.description {
        draft.description.clone_from(v);
    }
    if let Some(v) = &patch.location {
        draft.location.clone_from(v);
    }
    if let Some(v) = &patch.starts_at {
        draft.starts_at.clone_from(v);
    }
    if let Some(v) = &patch.ends_at {
        draft.ends_at.clone_from(v);
    }
    if let Some(v) = patch.all_day {
        draft.all_day = v;
    }
    if let Some(v) = &patch.timezone {
        draft.timezone = Some(v.clone());
    }
    if let Some(v) = &patch.rrule {
        draft.rrule.clone_from(v);
    }
    let fields = draft.parse(old.timezone).map_err(ApiError::Validation)?;
    let mut event = build(
        old.id,
        user_id,
        old.uid.clone(),
        fields,
        vec![],
        old.sequence.saturating_add(1),
        old.created_at,
        now,
    );
    event.exceptions = carried_exceptions(old, &event);
    Ok(event)
}

/// The start of the occurrence of `event` that `raw` names (an instant, or a
/// date for an all-day series); 422 when the event does not repeat or has no
/// occurrence there.
fn occurrence_start(event: &Event, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    if event.recurrence.is_none() {
        return Err(ApiError::field(
            "occurrence_start",
            "the event does not repeat; delete it instead",
        ));
    }
    let start = match event.timing {
        Timing::AllDay { .. } => match parse_date(raw) {
            Ok(d) => start_of_day(event.timezone, d),
            Err(_) => parse_instant(raw).map_err(|e| ApiError::field("occurrence_start", e))?,
        },
        Timing::Timed { .. } => {
            parse_instant(raw).map_err(|e| ApiError::field("occurrence_start", e))?
        }
    };
    if !event.has_instance_at(start) {
        return Err(ApiError::field(
            "occurrence_start",
            "is not the start of an occurrence of this event",
        ));
    }
    Ok(start)
}

#[allow(clippy::too_many_arguments)]
fn build(
    id: Uuid,
    user_id: UserId,
    uid: String,
    f: EventFields,
    mut exceptions: Vec<DateTime<Utc>>,
    sequence: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> Event {
    exceptions.sort();
    exceptions.dedup();
    Event {
        id,
        user_id,
        uid,
        title: f.title,
        description: f.description,
        location: f.location,
        timing: f.timing,
        timezone: f.timezone,
        recurrence: f.recurrence,
        exceptions,
        sequence,
        created_at,
        updated_at,
    }
}

/// The old series' exceptions, moved like its start, kept if still instances.
fn carried_exceptions(old: &Event, new: &Event) -> Vec<DateTime<Utc>> {
    if new.recurrence.is_none() {
        return Vec::new();
    }
    let old_start = old.starts_at().with_timezone(&old.timezone).naive_local();
    let new_start = new.starts_at().with_timezone(&new.timezone).naive_local();
    let shift = new_start - old_start;
    let mut out: Vec<DateTime<Utc>> = old
        .exceptions
        .iter()
        .map(|x| {
            local_to_utc(
                new.timezone,
                x.with_timezone(&old.timezone).naive_local() + shift,
            )
        })
        .filter(|x| *x < far_future() && new.has_instance_at(*x))
        .collect();
    out.sort();
    out.dedup();
    out
}
