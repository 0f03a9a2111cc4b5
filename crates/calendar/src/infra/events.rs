//! `calendar.events` and `calendar.event_exceptions`.

use super::schema::event_exceptions::dsl as x;
use super::schema::events::dsl as e;
use crate::application::{EventException, EventRepo, UidMatch};
use crate::domain::{Event, Recurrence, Timing};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl};
use kernel::infra::{Db, DbPool, Explain, ReadPool, tx_conn};
use kernel::{RepoError, Tx, UserId};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Events in PostgreSQL.
#[derive(Clone)]
pub struct PgEvents {
    pool: DbPool,
    reader: ReadPool,
}

impl PgEvents {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self {
            reader: ReadPool::primary_only(pool.clone()),
            pool,
        }
    }

    /// Serves its list, summary, range and export reads from `reader` (a
    /// replica when one is configured); everything else stays on `pool`.
    #[must_use]
    pub fn reading_from(mut self, reader: ReadPool) -> Self {
        self.reader = reader;
        self
    }
}

type Columns = (
    e::id,
    e::user_id,
    e::uid,
    e::title,
    e::description,
    e::location,
    e::starts_at,
    e::ends_at,
    e::all_day,
    e::start_date,
    e::end_date,
    e::timezone,
    e::rrule,
    e::sequence,
    e::created_at,
    e::updated_at,
);
const COLUMNS: Columns = (
    e::id,
    e::user_id,
    e::uid,
    e::title,
    e::description,
    e::location,
    e::starts_at,
    e::ends_at,
    e::all_day,
    e::start_date,
    e::end_date,
    e::timezone,
    e::rrule,
    e::sequence,
    e::created_at,
    e::updated_at,
);

#[derive(Queryable)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    uid: String,
    title: String,
    description: Option<String>,
    location: Option<String>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    all_day: bool,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    timezone: String,
    rrule: Option<String>,
    sequence: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn corrupt(id: Uuid, what: impl std::fmt::Display) -> RepoError {
    RepoError::Other(anyhow::anyhow!("stored event {id} is invalid: {what}"))
}

impl Row {
    fn into_event(self, exceptions: Vec<DateTime<Utc>>) -> Result<Event, RepoError> {
        let id = self.id;
        let timezone =
            crate::domain::zone::iana(&self.timezone).ok_or_else(|| corrupt(id, "timezone"))?;
        let timing = if self.all_day {
            match (self.start_date, self.end_date) {
                (Some(start), Some(end)) => Timing::AllDay { start, end },
                _ => return Err(corrupt(id, "all-day event without dates")),
            }
        } else {
            Timing::Timed {
                starts_at: self.starts_at,
                ends_at: self.ends_at,
            }
        };
        let recurrence = self
            .rrule
            .as_deref()
            .map(|r| Recurrence::parse(r, timezone, self.starts_at))
            .transpose()
            .map_err(|err| corrupt(id, err))?;
        Ok(Event {
            id,
            user_id: UserId::from_uuid(self.user_id),
            uid: self.uid,
            title: self.title,
            description: self.description,
            location: self.location,
            timing,
            timezone,
            recurrence,
            exceptions,
            sequence: self.sequence,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = super::schema::events)]
#[diesel(treat_none_as_null = true)]
struct EventValues<'a> {
    uid: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    location: Option<&'a str>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    all_day: bool,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    timezone: &'a str,
    rrule: Option<String>,
    series_ends_at: DateTime<Utc>,
    sequence: i32,
    updated_at: DateTime<Utc>,
}

fn values(ev: &Event) -> EventValues<'_> {
    let (start_date, end_date) = match ev.timing {
        Timing::AllDay { start, end } => (Some(start), Some(end)),
        Timing::Timed { .. } => (None, None),
    };
    EventValues {
        uid: &ev.uid,
        title: &ev.title,
        description: ev.description.as_deref(),
        location: ev.location.as_deref(),
        starts_at: ev.starts_at(),
        ends_at: ev.ends_at(),
        all_day: ev.timing.is_all_day(),
        start_date,
        end_date,
        timezone: ev.timezone.name(),
        rrule: ev.recurrence.as_ref().map(Recurrence::as_text),
        series_ends_at: ev.series_ends_at(),
        sequence: ev.sequence,
        updated_at: ev.updated_at,
    }
}

/// The range query's candidates (RULES R10: `idx_events_user_id_series_ends_at_starts_at`).
fn overlapping_query(
    user_id: UserId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> super::schema::events::BoxedQuery<'static, Pg, <Columns as diesel::Expression>::SqlType> {
    e::events
        .filter(e::user_id.eq(user_id.as_uuid()))
        .filter(e::series_ends_at.gt(from))
        .filter(e::starts_at.lt(to))
        .select(COLUMNS)
        .into_boxed()
}

async fn insert_events(
    conn: &mut AsyncPgConnection,
    events: &[Event],
) -> Result<(), diesel::result::Error> {
    for chunk in events.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|ev| {
                (
                    e::id.eq(ev.id),
                    e::user_id.eq(ev.user_id.as_uuid()),
                    e::created_at.eq(ev.created_at),
                    values(ev),
                )
            })
            .collect();
        diesel::insert_into(e::events)
            .values(rows)
            .execute(conn)
            .await?;
    }
    let exceptions: Vec<_> = events
        .iter()
        .flat_map(|ev| ev.exceptions.iter().map(move |at| exception_row(ev, *at)))
        .collect();
    for chunk in exceptions.chunks(1000) {
        diesel::insert_into(x::event_exceptions)
            .values(chunk.to_vec())
            .execute(conn)
            .await?;
    }
    Ok(())
}

type ExceptionRow = (
    diesel::dsl::Eq<x::id, Uuid>,
    diesel::dsl::Eq<x::user_id, Uuid>,
    diesel::dsl::Eq<x::event_id, Uuid>,
    diesel::dsl::Eq<x::occurrence_start, DateTime<Utc>>,
    diesel::dsl::Eq<x::created_at, DateTime<Utc>>,
    diesel::dsl::Eq<x::updated_at, DateTime<Utc>>,
);

fn exception_row(ev: &Event, at: DateTime<Utc>) -> ExceptionRow {
    (
        x::id.eq(kernel::ids::new_id()),
        x::user_id.eq(ev.user_id.as_uuid()),
        x::event_id.eq(ev.id),
        x::occurrence_start.eq(at),
        x::created_at.eq(ev.updated_at),
        x::updated_at.eq(ev.updated_at),
    )
}

/// Rewrites one event's row and makes its exceptions exactly `ev.exceptions`
/// (rows of unchanged occurrences keep their ids). `false` when absent.
async fn update_event(
    conn: &mut AsyncPgConnection,
    ev: &Event,
) -> Result<bool, diesel::result::Error> {
    let user = ev.user_id.as_uuid();
    let n = diesel::update(e::events.filter(e::id.eq(ev.id).and(e::user_id.eq(user))))
        .set(values(ev))
        .execute(conn)
        .await?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(
        x::event_exceptions.filter(
            x::user_id
                .eq(user)
                .and(x::event_id.eq(ev.id))
                .and(x::occurrence_start.ne_all(ev.exceptions.clone())),
        ),
    )
    .execute(conn)
    .await?;
    let kept: HashSet<DateTime<Utc>> = x::event_exceptions
        .filter(x::user_id.eq(user).and(x::event_id.eq(ev.id)))
        .select(x::occurrence_start)
        .load::<DateTime<Utc>>(conn)
        .await?
        .into_iter()
        .collect();
    let new: Vec<ExceptionRow> = ev
        .exceptions
        .iter()
        .filter(|at| !kept.contains(at))
        .map(|at| exception_row(ev, *at))
        .collect();
    if !new.is_empty() {
        diesel::insert_into(x::event_exceptions)
            .values(new)
            .execute(conn)
            .await?;
    }
    Ok(true)
}

async fn with_exceptions(
    conn: &mut AsyncPgConnection,
    user_id: UserId,
    rows: Vec<Row>,
) -> Result<Vec<Event>, RepoError> {
    let ids: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.rrule.is_some())
        .map(|r| r.id)
        .collect();
    let mut by_event: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
    if !ids.is_empty() {
        let found: Vec<(Uuid, DateTime<Utc>)> = x::event_exceptions
            .filter(
                x::user_id
                    .eq(user_id.as_uuid())
                    .and(x::event_id.eq_any(ids)),
            )
            .select((x::event_id, x::occurrence_start))
            .order((x::event_id, x::occurrence_start))
            .load(conn)
            .await?;
        for (event_id, at) in found {
            by_event.entry(event_id).or_default().push(at);
        }
    }
    rows.into_iter()
        .map(|r| {
            let ex = by_event.remove(&r.id).unwrap_or_default();
            r.into_event(ex)
        })
        .collect()
}

impl PgEvents {
    /// The plan PostgreSQL chooses for the range query's candidate statement
    /// (the very statement [`EventRepo::overlapping`] runs), one line each.
    pub async fn explain_overlapping(
        &self,
        user_id: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<String>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let mut conn = db.conn().await?;
        Ok(Explain(overlapping_query(user_id, from, to))
            .load::<String>(&mut *conn)
            .await?)
    }
}

#[async_trait::async_trait]
impl EventRepo for PgEvents {
    async fn insert(&self, tx: &mut Tx<'_>, event: &Event) -> Result<(), RepoError> {
        insert_events(tx_conn(tx)?, std::slice::from_ref(event)).await?;
        Ok(())
    }

    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Event>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let mut conn = db.conn().await?;
        let row = e::events
            .filter(e::id.eq(id).and(e::user_id.eq(user_id.as_uuid())))
            .select(COLUMNS)
            .first::<Row>(&mut *conn)
            .await
            .optional()?;
        match row {
            None => Ok(None),
            Some(row) => Ok(with_exceptions(&mut conn, user_id, vec![row]).await?.pop()),
        }
    }

    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Event>, RepoError> {
        let conn = tx_conn(tx)?;
        let row = e::events
            .filter(e::id.eq(id).and(e::user_id.eq(user_id.as_uuid())))
            .select(COLUMNS)
            .for_update()
            .first::<Row>(conn)
            .await
            .optional()?;
        match row {
            None => Ok(None),
            Some(row) => Ok(with_exceptions(conn, user_id, vec![row]).await?.pop()),
        }
    }

    async fn update(&self, tx: &mut Tx<'_>, event: &Event) -> Result<bool, RepoError> {
        Ok(update_event(tx_conn(tx)?, event).await?)
    }

    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError> {
        let conn = tx_conn(tx)?;
        let user = user_id.as_uuid();
        diesel::delete(x::event_exceptions.filter(x::user_id.eq(user).and(x::event_id.eq(id))))
            .execute(&mut *conn)
            .await?;
        let n = diesel::delete(e::events.filter(e::id.eq(id).and(e::user_id.eq(user))))
            .execute(conn)
            .await?;
        Ok(n == 1)
    }

    async fn add_exception(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        ex: &EventException,
    ) -> Result<(EventException, bool), RepoError> {
        let conn = tx_conn(tx)?;
        let user = user_id.as_uuid();
        let inserted = diesel::insert_into(x::event_exceptions)
            .values((
                x::id.eq(ex.id),
                x::user_id.eq(user),
                x::event_id.eq(ex.event_id),
                x::occurrence_start.eq(ex.occurrence_start),
                x::created_at.eq(ex.created_at),
                x::updated_at.eq(ex.created_at),
            ))
            .on_conflict((x::user_id, x::event_id, x::occurrence_start))
            .do_nothing()
            .execute(&mut *conn)
            .await?;
        if inserted == 1 {
            return Ok((ex.clone(), true));
        }
        let (id, created_at) = x::event_exceptions
            .filter(
                x::user_id
                    .eq(user)
                    .and(x::event_id.eq(ex.event_id))
                    .and(x::occurrence_start.eq(ex.occurrence_start)),
            )
            .select((x::id, x::created_at))
            .first::<(Uuid, DateTime<Utc>)>(conn)
            .await?;
        Ok((
            EventException {
                id,
                created_at,
                ..ex.clone()
            },
            false,
        ))
    }

    async fn delete_exception(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        event_id: Uuid,
        exception_id: Uuid,
    ) -> Result<bool, RepoError> {
        let n = diesel::delete(
            x::event_exceptions.filter(
                x::user_id
                    .eq(user_id.as_uuid())
                    .and(x::event_id.eq(event_id))
                    .and(x::id.eq(exception_id)),
            ),
        )
        .execute(tx_conn(tx)?)
        .await?;
        Ok(n == 1)
    }

    async fn overlapping(
        &self,
        user_id: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Event>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let rows = overlapping_query(user_id, from, to)
            .load::<Row>(&mut *conn)
            .await?;
        with_exceptions(&mut conn, user_id, rows).await
    }

    async fn all(&self, user_id: UserId) -> Result<Vec<Event>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let rows = e::events
            .filter(e::user_id.eq(user_id.as_uuid()))
            .select(COLUMNS)
            .order((e::starts_at, e::id))
            .load::<Row>(&mut *conn)
            .await?;
        with_exceptions(&mut conn, user_id, rows).await
    }

    async fn page(
        &self,
        user_id: UserId,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Event>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let mut q = e::events
            .filter(e::user_id.eq(user_id.as_uuid()))
            .select(COLUMNS)
            .order(e::id)
            .limit(limit)
            .into_boxed();
        if let Some(after) = after {
            q = q.filter(e::id.gt(after));
        }
        let rows = q.load::<Row>(&mut *conn).await?;
        with_exceptions(&mut conn, user_id, rows).await
    }

    async fn find_by_uids(
        &self,
        user_id: UserId,
        uids: &[String],
    ) -> Result<Vec<UidMatch>, RepoError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let mut db = Db::Pool(&self.pool);
        let rows: Vec<(Uuid, String, i32, DateTime<Utc>)> = e::events
            .filter(e::user_id.eq(user_id.as_uuid()).and(e::uid.eq_any(uids)))
            .select((e::id, e::uid, e::sequence, e::created_at))
            .load(&mut *db.conn().await?)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, uid, sequence, created_at)| UidMatch {
                id,
                uid,
                sequence,
                created_at,
            })
            .collect())
    }

    async fn import(
        &self,
        user_id: UserId,
        creates: &[Event],
        updates: &[Event],
    ) -> Result<(), RepoError> {
        if creates
            .iter()
            .chain(updates)
            .any(|ev| ev.user_id != user_id)
        {
            return Err(RepoError::Other(anyhow::anyhow!(
                "import of another user's events"
            )));
        }
        let mut db = Db::Pool(&self.pool);
        let mut conn = db.conn().await?;
        let conn: &mut AsyncPgConnection = &mut conn;
        conn.transaction(async |c| {
            insert_events(c, creates).await?;
            for ev in updates {
                if !update_event(c, ev).await? {
                    return Err(diesel::result::Error::NotFound);
                }
            }
            Ok::<(), diesel::result::Error>(())
        })
        .await?;
        Ok(())
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let conn = tx_conn(tx)?;
        let user = user_id.as_uuid();
        let exceptions = diesel::delete(x::event_exceptions.filter(x::user_id.eq(user)))
            .execute(&mut *conn)
            .await?;
        let events = diesel::delete(e::events.filter(e::user_id.eq(user)))
            .execute(conn)
            .await?;
        Ok((exceptions + events) as u64)
    }
}
