//! `reminders.reminders`.

use super::schema::reminders::BoxedQuery;
use super::schema::reminders::dsl as r;
use crate::application::{ListFilter, ListKey, ReminderRepo};
use crate::domain::{Notes, Priority, Recurrence, Reminder, RepeatFrom, Rrule, Status, Title};
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::infra::{Db, DbPool, Explain, ReadPool, tx_conn};
use kernel::pagination::PageRequest;
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Reminders in PostgreSQL.
#[derive(Clone)]
pub struct PgReminders {
    pool: DbPool,
    reader: ReadPool,
}

impl PgReminders {
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

/// Every column, in table order.
#[derive(Queryable)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    title: String,
    notes: Option<String>,
    due_at: DateTime<Utc>,
    priority: String,
    status: String,
    completed_at: Option<DateTime<Utc>>,
    rrule: Option<String>,
    repeat_from: Option<String>,
    dtstart: Option<DateTime<Utc>>,
    scheduled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn corrupt(id: Uuid, field: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Other(anyhow::anyhow!(
        "stored reminder {id} has an invalid {field}: {e}"
    ))
}

impl TryFrom<Row> for Reminder {
    type Error = RepoError;
    fn try_from(row: Row) -> Result<Self, RepoError> {
        let id = row.id;
        let recurrence = match (row.rrule, row.repeat_from, row.dtstart, row.scheduled_at) {
            (None, None, None, None) => None,
            (Some(rule), Some(from), Some(dtstart), Some(scheduled_at)) => Some(Recurrence {
                rule: Rrule::parse(&rule).map_err(|e| corrupt(id, "rrule", e))?,
                repeat_from: RepeatFrom::parse(&from).map_err(|e| corrupt(id, "repeat_from", e))?,
                dtstart,
                scheduled_at,
            }),
            _ => {
                return Err(corrupt(
                    id,
                    "recurrence",
                    "rrule, repeat_from, dtstart and scheduled_at must be set together",
                ));
            }
        };
        Ok(Self {
            id,
            user_id: UserId::from_uuid(row.user_id),
            title: Title::parse(&row.title).map_err(|e| corrupt(id, "title", e))?,
            notes: row
                .notes
                .as_deref()
                .map(Notes::parse)
                .transpose()
                .map_err(|e| corrupt(id, "notes", e))?
                .flatten(),
            due_at: row.due_at,
            priority: Priority::parse(&row.priority).map_err(|e| corrupt(id, "priority", e))?,
            status: Status::parse(&row.status).map_err(|e| corrupt(id, "status", e))?,
            completed_at: row.completed_at,
            recurrence,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

fn load_all(rows: Vec<Row>) -> Result<Vec<Reminder>, RepoError> {
    rows.into_iter().map(Reminder::try_from).collect()
}

/// A statement of this repository whose plan a test may inspect.
#[derive(Clone, Debug)]
pub enum PlanQuery {
    /// The list, as [`ReminderRepo::list`] runs it.
    List {
        /// Filters.
        filter: ListFilter,
        /// Page.
        page: PageRequest<ListKey>,
    },
    /// The dashboard's overdue count.
    CountOverdue {
        /// "Now".
        now: DateTime<Utc>,
    },
    /// The dashboard's next pending reminders.
    NextPending {
        /// "Now".
        now: DateTime<Utc>,
        /// How many.
        limit: i64,
    },
}

const PENDING: &str = Status::Pending.as_str();

/// The list statement: every filter, the keyset cursor, `(due_at, id)` order.
fn list_query(
    user_id: UserId,
    filter: &ListFilter,
    page: &PageRequest<ListKey>,
) -> BoxedQuery<'static, Pg> {
    let mut query = r::reminders
        .filter(r::user_id.eq(user_id.as_uuid()))
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(r::status.eq(status.as_str()));
    }
    if let Some(priority) = filter.priority {
        query = query.filter(r::priority.eq(priority.as_str()));
    }
    if let Some(from) = filter.due_from {
        query = query.filter(r::due_at.ge(from));
    }
    if let Some(to) = filter.due_to {
        query = query.filter(r::due_at.lt(to));
    }
    if let Some(now) = filter.overdue_at {
        query = query
            .filter(r::status.eq(PENDING))
            .filter(r::due_at.lt(now));
    }
    if let Some((at, id)) = page.after {
        // `due_at >= at` bounds the index range; the OR picks up after the cursor row.
        query = query
            .filter(r::due_at.ge(at))
            .filter(r::due_at.gt(at).or(r::id.gt(id)));
    }
    query
        .order((r::due_at.asc(), r::id.asc()))
        .limit(page.fetch_limit())
}

fn overdue_query(
    user_id: UserId,
    now: DateTime<Utc>,
) -> BoxedQuery<'static, Pg, diesel::sql_types::BigInt> {
    r::reminders
        .filter(r::user_id.eq(user_id.as_uuid()))
        .filter(r::status.eq(PENDING))
        .filter(r::due_at.lt(now))
        .select(diesel::dsl::count_star())
        .into_boxed()
}

fn next_pending_query(user_id: UserId, now: DateTime<Utc>, limit: i64) -> BoxedQuery<'static, Pg> {
    r::reminders
        .filter(r::user_id.eq(user_id.as_uuid()))
        .filter(r::status.eq(PENDING))
        .filter(r::due_at.ge(now))
        .order((r::due_at.asc(), r::id.asc()))
        .limit(limit)
        .into_boxed()
}

impl PgReminders {
    /// The `EXPLAIN` lines of `query` for `user_id`, run exactly as the repository runs it.
    pub async fn explain(
        &self,
        user_id: UserId,
        query: &PlanQuery,
    ) -> Result<Vec<String>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        let mut conn = db.conn().await?;
        let conn: &mut AsyncPgConnection = &mut conn;
        let lines = match query {
            PlanQuery::List { filter, page } => {
                Explain(list_query(user_id, filter, page))
                    .load::<String>(conn)
                    .await?
            }
            PlanQuery::CountOverdue { now } => {
                Explain(overdue_query(user_id, *now))
                    .load::<String>(conn)
                    .await?
            }
            PlanQuery::NextPending { now, limit } => {
                Explain(next_pending_query(user_id, *now, *limit))
                    .load::<String>(conn)
                    .await?
            }
        };
        Ok(lines)
    }
}

#[async_trait::async_trait]
impl ReminderRepo for PgReminders {
    async fn insert(&self, tx: &mut Tx<'_>, reminder: &Reminder) -> Result<(), RepoError> {
        let rec = reminder.recurrence.as_ref();
        diesel::insert_into(r::reminders)
            .values((
                r::id.eq(reminder.id),
                r::user_id.eq(reminder.user_id.as_uuid()),
                r::title.eq(reminder.title.as_str()),
                r::notes.eq(reminder.notes.as_ref().map(Notes::as_str)),
                r::due_at.eq(reminder.due_at),
                r::priority.eq(reminder.priority.as_str()),
                r::status.eq(reminder.status.as_str()),
                r::completed_at.eq(reminder.completed_at),
                r::rrule.eq(rec.map(|x| x.rule.as_str())),
                r::repeat_from.eq(rec.map(|x| x.repeat_from.as_str())),
                r::dtstart.eq(rec.map(|x| x.dtstart)),
                r::scheduled_at.eq(rec.map(|x| x.scheduled_at)),
                r::created_at.eq(reminder.created_at),
                r::updated_at.eq(reminder.updated_at),
            ))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(())
    }

    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Reminder>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        r::reminders
            .filter(r::user_id.eq(user_id.as_uuid()).and(r::id.eq(id)))
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()?
            .map(Reminder::try_from)
            .transpose()
    }

    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Reminder>, RepoError> {
        r::reminders
            .filter(r::user_id.eq(user_id.as_uuid()).and(r::id.eq(id)))
            .for_update()
            .first::<Row>(tx_conn(tx)?)
            .await
            .optional()?
            .map(Reminder::try_from)
            .transpose()
    }

    async fn update(&self, tx: &mut Tx<'_>, reminder: &Reminder) -> Result<bool, RepoError> {
        let rec = reminder.recurrence.as_ref();
        let updated = diesel::update(
            r::reminders.filter(
                r::user_id
                    .eq(reminder.user_id.as_uuid())
                    .and(r::id.eq(reminder.id)),
            ),
        )
        .set((
            r::title.eq(reminder.title.as_str()),
            r::notes.eq(reminder.notes.as_ref().map(Notes::as_str)),
            r::due_at.eq(reminder.due_at),
            r::priority.eq(reminder.priority.as_str()),
            r::status.eq(reminder.status.as_str()),
            r::completed_at.eq(reminder.completed_at),
            r::rrule.eq(rec.map(|x| x.rule.as_str())),
            r::repeat_from.eq(rec.map(|x| x.repeat_from.as_str())),
            r::dtstart.eq(rec.map(|x| x.dtstart)),
            r::scheduled_at.eq(rec.map(|x| x.scheduled_at)),
            r::updated_at.eq(reminder.updated_at),
        ))
        .execute(tx_conn(tx)?)
        .await?;
        Ok(updated == 1)
    }

    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError> {
        let deleted =
            diesel::delete(r::reminders.filter(r::user_id.eq(user_id.as_uuid()).and(r::id.eq(id))))
                .execute(tx_conn(tx)?)
                .await?;
        Ok(deleted == 1)
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(r::reminders.filter(r::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(deleted as u64)
    }

    async fn list(
        &self,
        user_id: UserId,
        filter: &ListFilter,
        page: &PageRequest<ListKey>,
    ) -> Result<Vec<Reminder>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let rows = list_query(user_id, filter, page)
            .load::<Row>(&mut *conn)
            .await?;
        load_all(rows)
    }

    async fn count_overdue(&self, user_id: UserId, now: DateTime<Utc>) -> Result<i64, RepoError> {
        let mut conn = self.reader.conn().await?;
        Ok(overdue_query(user_id, now)
            .get_result::<i64>(&mut *conn)
            .await?)
    }

    async fn next_pending(
        &self,
        user_id: UserId,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Reminder>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let rows = next_pending_query(user_id, now, limit)
            .load::<Row>(&mut *conn)
            .await?;
        load_all(rows)
    }
}
