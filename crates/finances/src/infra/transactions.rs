//! `finances.transactions`.

use super::corrupt;
use super::schema::categories::dsl as c;
use super::schema::transactions::dsl as t;
use crate::application::{KindSum, ListFilter, TransactionKey, TransactionRepo};
use crate::domain::{
    CategoryName, CategoryRef, DateRange, Description, ExternalId, Kind, Money, Total, Transaction,
};
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Date, Nullable, Numeric, Text};
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, ReadPool, tx_conn};
use kernel::pagination::PageRequest;
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Rows per multi-row INSERT of an import (11 binds a row, well under 65,535).
const INSERT_CHUNK: usize = 1_000;

/// The summary's aggregate: sums by category and kind over a date range.
/// Served by `idx_transactions_user_id_occurred_on_summary` (index-only).
pub(crate) const SUMMARY_SQL: &str = "\
SELECT c.name AS category, t.kind AS kind, SUM(t.amount) AS total \
FROM finances.transactions t \
LEFT JOIN finances.categories c ON c.user_id = t.user_id AND c.id = t.category_id \
WHERE t.user_id = $1 AND t.occurred_on BETWEEN $2 AND $3 \
GROUP BY t.category_id, c.name, t.kind";

/// The budgets' spending: expenses per category over a date range.
/// Served by `idx_transactions_user_id_occurred_on_summary` (index-only).
pub(crate) const SPENT_SQL: &str = "\
SELECT t.category_id AS category_id, SUM(t.amount) AS total \
FROM finances.transactions t \
WHERE t.user_id = $1 AND t.occurred_on BETWEEN $2 AND $3 \
AND t.kind = 'expense' AND t.category_id = ANY($4) \
GROUP BY t.category_id";

/// Transactions in PostgreSQL.
#[derive(Clone)]
pub struct PgTransactions {
    pool: DbPool,
    reader: ReadPool,
}

impl PgTransactions {
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

#[derive(Queryable)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    kind: String,
    amount: BigDecimal,
    occurred_on: NaiveDate,
    category_id: Option<Uuid>,
    category_name: Option<String>,
    description: Option<String>,
    external_id: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Transaction {
    type Error = RepoError;
    fn try_from(r: Row) -> Result<Self, RepoError> {
        let category = match (r.category_id, r.category_name) {
            (Some(id), Some(name)) => Some(CategoryRef {
                id,
                name: CategoryName::parse(&name).map_err(|e| corrupt("category name", e))?,
            }),
            _ => None,
        };
        Ok(Self {
            id: r.id,
            user_id: UserId::from_uuid(r.user_id),
            kind: Kind::parse(&r.kind).map_err(|e| corrupt("kind", e))?,
            amount: Money::from_decimal(r.amount).map_err(|e| corrupt("amount", e))?,
            occurred_on: r.occurred_on,
            category,
            description: match r.description {
                Some(d) => Description::parse(&d).map_err(|e| corrupt("description", e))?,
                None => None,
            },
            external_id: r
                .external_id
                .map(|x| ExternalId::parse(&x))
                .transpose()
                .map_err(|e| corrupt("external_id", e))?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

type Joined = diesel::helper_types::LeftJoinQuerySource<
    t::transactions,
    c::categories,
    diesel::dsl::And<
        diesel::dsl::Eq<diesel::dsl::Nullable<c::id>, t::category_id>,
        diesel::dsl::Eq<c::user_id, t::user_id>,
    >,
>;

type BoxedList<'a> = diesel::internal::table_macro::BoxedSelectStatement<
    'a,
    (
        diesel::sql_types::Uuid,
        diesel::sql_types::Uuid,
        Text,
        Numeric,
        Date,
        Nullable<diesel::sql_types::Uuid>,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<Text>,
        diesel::sql_types::Timestamptz,
        diesel::sql_types::Timestamptz,
    ),
    diesel::internal::table_macro::FromClause<Joined>,
    Pg,
>;

/// Every transaction of the user, with its category's name (owner-checked join).
fn base<'a>(user_id: UserId) -> BoxedList<'a> {
    t::transactions
        .left_join(
            c::categories.on(c::id
                .nullable()
                .eq(t::category_id)
                .and(c::user_id.eq(t::user_id))),
        )
        .filter(t::user_id.eq(user_id.as_uuid()))
        .select((
            t::id,
            t::user_id,
            t::kind,
            t::amount,
            t::occurred_on,
            c::id.nullable(),
            c::name.nullable(),
            t::description,
            t::external_id,
            t::created_at,
            t::updated_at,
        ))
        .into_boxed()
}

/// The list's statement: filters, keyset cursor, order and limit.
pub(crate) fn list_query<'a>(
    user_id: UserId,
    f: &ListFilter,
    page: &PageRequest<TransactionKey>,
) -> BoxedList<'a> {
    let mut q = base(user_id);
    if let Some(from) = f.from {
        q = q.filter(t::occurred_on.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(t::occurred_on.le(to));
    }
    if let Some(kind) = f.kind {
        q = q.filter(t::kind.eq(kind.as_str()));
    }
    if let Some(category_id) = f.category_id {
        q = q.filter(t::category_id.eq(category_id));
    }
    if let Some(pattern) = &f.description_like {
        q = q.filter(t::description.ilike(pattern.clone()));
    }
    if let Some(min) = &f.min_amount {
        q = q.filter(t::amount.ge(min.as_decimal().clone()));
    }
    if let Some(max) = &f.max_amount {
        q = q.filter(t::amount.le(max.as_decimal().clone()));
    }
    if let Some((day, id)) = page.after {
        // A row comparison, so the cursor is an index bound, not a filter.
        q = q.filter(
            sql::<Bool>(
                r#"("finances"."transactions"."occurred_on", "finances"."transactions"."id") < ("#,
            )
            .bind::<Date, _>(day)
            .sql(", ")
            .bind::<diesel::sql_types::Uuid, _>(id)
            .sql(")"),
        );
    }
    q.order((t::occurred_on.desc(), t::id.desc()))
        .limit(page.fetch_limit())
}

#[derive(QueryableByName)]
struct SumRow {
    #[diesel(sql_type = Nullable<Text>)]
    category: Option<String>,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Numeric>)]
    total: Option<BigDecimal>,
}

#[derive(QueryableByName)]
struct SpentRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    category_id: Uuid,
    #[diesel(sql_type = Nullable<Numeric>)]
    total: Option<BigDecimal>,
}

macro_rules! values {
    ($t:expr) => {
        (
            t::id.eq($t.id),
            t::user_id.eq($t.user_id.as_uuid()),
            t::kind.eq($t.kind.as_str()),
            t::amount.eq($t.amount.as_decimal().clone()),
            t::occurred_on.eq($t.occurred_on),
            t::category_id.eq($t.category.as_ref().map(|c| c.id)),
            t::description.eq($t.description.as_ref().map(|d| d.as_str().to_owned())),
            t::external_id.eq($t.external_id.as_ref().map(|x| x.as_str().to_owned())),
            t::created_at.eq($t.created_at),
            t::updated_at.eq($t.updated_at),
        )
    };
}

#[async_trait::async_trait]
impl TransactionRepo for PgTransactions {
    async fn insert(&self, tx: &mut Tx<'_>, tr: &Transaction) -> Result<(), RepoError> {
        diesel::insert_into(t::transactions)
            .values(values!(tr))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(())
    }

    async fn insert_many(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        rows: &[Transaction],
    ) -> Result<Vec<String>, RepoError> {
        let conn = tx_conn(tx)?;
        let mut skipped = Vec::new();
        for chunk in rows.chunks(INSERT_CHUNK) {
            if chunk.iter().any(|r| r.user_id != user_id) {
                return Err(RepoError::Other(anyhow::anyhow!(
                    "a row of another user in an import"
                )));
            }
            let values: Vec<_> = chunk.iter().map(|tr| values!(tr)).collect();
            let inserted: Vec<Option<String>> = diesel::insert_into(t::transactions)
                .values(values)
                .on_conflict((t::user_id, t::external_id))
                .do_nothing()
                .returning(t::external_id)
                .get_results(conn)
                .await?;
            let inserted: std::collections::HashSet<String> =
                inserted.into_iter().flatten().collect();
            skipped.extend(
                chunk
                    .iter()
                    .filter_map(|r| r.external_id.as_ref())
                    .filter(|x| !inserted.contains(x.as_str()))
                    .map(|x| x.as_str().to_owned()),
            );
        }
        Ok(skipped)
    }

    async fn existing_external_ids(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        external_ids: &[String],
    ) -> Result<Vec<String>, RepoError> {
        let found: Vec<Option<String>> = t::transactions
            .filter(t::user_id.eq(user_id.as_uuid()))
            .filter(t::external_id.eq_any(external_ids))
            .select(t::external_id)
            .load(tx_conn(tx)?)
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Transaction>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        base(user_id)
            .filter(t::id.eq(id))
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()?
            .map(Transaction::try_from)
            .transpose()
    }

    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Transaction>, RepoError> {
        let conn = tx_conn(tx)?;
        // Locks the transaction's row only (FOR UPDATE cannot reach through
        // the outer join), then reads it with its category's name.
        let locked = t::transactions
            .filter(t::user_id.eq(user_id.as_uuid()).and(t::id.eq(id)))
            .select(t::id)
            .for_update()
            .first::<Uuid>(&mut *conn)
            .await
            .optional()?;
        if locked.is_none() {
            return Ok(None);
        }
        base(user_id)
            .filter(t::id.eq(id))
            .first::<Row>(&mut *conn)
            .await
            .optional()?
            .map(Transaction::try_from)
            .transpose()
    }

    async fn update(&self, tx: &mut Tx<'_>, tr: &Transaction) -> Result<bool, RepoError> {
        let updated = diesel::update(
            t::transactions.filter(t::user_id.eq(tr.user_id.as_uuid()).and(t::id.eq(tr.id))),
        )
        .set((
            t::kind.eq(tr.kind.as_str()),
            t::amount.eq(tr.amount.as_decimal().clone()),
            t::occurred_on.eq(tr.occurred_on),
            t::category_id.eq(tr.category.as_ref().map(|c| c.id)),
            t::description.eq(tr.description.as_ref().map(|d| d.as_str())),
            t::external_id.eq(tr.external_id.as_ref().map(|x| x.as_str())),
            t::updated_at.eq(tr.updated_at),
        ))
        .execute(tx_conn(tx)?)
        .await?;
        Ok(updated == 1)
    }

    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError> {
        let deleted = diesel::delete(
            t::transactions.filter(t::user_id.eq(user_id.as_uuid()).and(t::id.eq(id))),
        )
        .execute(tx_conn(tx)?)
        .await?;
        Ok(deleted == 1)
    }

    async fn list(
        &self,
        user_id: UserId,
        filter: &ListFilter,
        page: &PageRequest<TransactionKey>,
    ) -> Result<Vec<Transaction>, RepoError> {
        let mut conn = self.reader.conn().await?;
        list_query(user_id, filter, page)
            .load::<Row>(&mut *conn)
            .await?
            .into_iter()
            .map(Transaction::try_from)
            .collect()
    }

    async fn sums(&self, user_id: UserId, range: DateRange) -> Result<Vec<KindSum>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let rows: Vec<SumRow> = diesel::sql_query(SUMMARY_SQL)
            .bind::<diesel::sql_types::Uuid, _>(user_id.as_uuid())
            .bind::<Date, _>(range.from)
            .bind::<Date, _>(range.to)
            .load(&mut *conn)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(KindSum {
                    category: r.category,
                    kind: Kind::parse(&r.kind).map_err(|e| corrupt("kind", e))?,
                    total: r.total.map_or_else(Total::zero, Total::from_decimal),
                })
            })
            .collect()
    }

    async fn spent_by_category(
        &self,
        user_id: UserId,
        range: DateRange,
        category_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, Total)>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let rows: Vec<SpentRow> = diesel::sql_query(SPENT_SQL)
            .bind::<diesel::sql_types::Uuid, _>(user_id.as_uuid())
            .bind::<Date, _>(range.from)
            .bind::<Date, _>(range.to)
            .bind::<Array<diesel::sql_types::Uuid>, _>(category_ids)
            .load(&mut *conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.category_id,
                    r.total.map_or_else(Total::zero, Total::from_decimal),
                )
            })
            .collect())
    }

    async fn category_in_use(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
    ) -> Result<bool, RepoError> {
        let used = diesel::select(diesel::dsl::exists(
            t::transactions.filter(
                t::user_id
                    .eq(user_id.as_uuid())
                    .and(t::category_id.eq(category_id)),
            ),
        ))
        .get_result::<bool>(tx_conn(tx)?)
        .await?;
        Ok(used)
    }

    async fn reassign_category(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        from: Uuid,
        to: Uuid,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        let moved = diesel::update(
            t::transactions.filter(
                t::user_id
                    .eq(user_id.as_uuid())
                    .and(t::category_id.eq(from)),
            ),
        )
        .set((t::category_id.eq(to), t::updated_at.eq(now)))
        .execute(tx_conn(tx)?)
        .await?;
        Ok(moved as u64)
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(t::transactions.filter(t::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(deleted as u64)
    }
}
