//! `finances.budgets`.

use super::corrupt;
use super::schema::budgets::dsl as b;
use super::schema::categories::dsl as c;
use crate::application::{BudgetRepo, CategoryKey};
use crate::domain::{Budget, CategoryName, CategoryRef, Money, Month};
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use kernel::infra::{DbPool, ReadPool, tx_conn};
use kernel::pagination::PageRequest;
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Budgets in PostgreSQL.
#[derive(Clone)]
pub struct PgBudgets {
    reader: ReadPool,
}

impl PgBudgets {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self {
            reader: ReadPool::primary_only(pool),
        }
    }

    /// Serves its list and export reads from `reader` (a replica when one is
    /// configured); everything else runs in the caller's transaction.
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
    category_id: Uuid,
    category_name: String,
    month: NaiveDate,
    limit_amount: BigDecimal,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Budget {
    type Error = RepoError;
    fn try_from(r: Row) -> Result<Self, RepoError> {
        Ok(Self {
            id: r.id,
            user_id: UserId::from_uuid(r.user_id),
            category: CategoryRef {
                id: r.category_id,
                name: CategoryName::parse(&r.category_name)
                    .map_err(|e| corrupt("category name", e))?,
            },
            month: Month::containing(r.month),
            limit: Money::from_decimal(r.limit_amount).map_err(|e| corrupt("budget limit", e))?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

macro_rules! joined {
    ($user:expr) => {
        b::budgets
            .inner_join(c::categories.on(c::id.eq(b::category_id).and(c::user_id.eq(b::user_id))))
            .filter(b::user_id.eq($user.as_uuid()))
            .select((
                b::id,
                b::user_id,
                b::category_id,
                c::name,
                b::month,
                b::limit_amount,
                b::created_at,
                b::updated_at,
            ))
    };
}

#[async_trait::async_trait]
impl BudgetRepo for PgBudgets {
    async fn upsert(&self, tx: &mut Tx<'_>, budget: &Budget) -> Result<Budget, RepoError> {
        let (id, created_at, updated_at): (Uuid, DateTime<Utc>, DateTime<Utc>) =
            diesel::insert_into(b::budgets)
                .values((
                    b::id.eq(budget.id),
                    b::user_id.eq(budget.user_id.as_uuid()),
                    b::category_id.eq(budget.category.id),
                    b::month.eq(budget.month.first_day()),
                    b::limit_amount.eq(budget.limit.as_decimal().clone()),
                    b::created_at.eq(budget.created_at),
                    b::updated_at.eq(budget.updated_at),
                ))
                .on_conflict((b::user_id, b::category_id, b::month))
                .do_update()
                .set((
                    b::limit_amount.eq(excluded(b::limit_amount)),
                    b::updated_at.eq(excluded(b::updated_at)),
                ))
                .returning((b::id, b::created_at, b::updated_at))
                .get_result(tx_conn(tx)?)
                .await?;
        Ok(Budget {
            id,
            created_at,
            updated_at,
            ..budget.clone()
        })
    }

    async fn list_month(
        &self,
        user_id: UserId,
        month: Month,
        page: &PageRequest<CategoryKey>,
    ) -> Result<Vec<Budget>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let mut q = joined!(user_id)
            .filter(b::month.eq(month.first_day()))
            .order((c::name_key.asc(), b::id.asc()))
            .limit(page.fetch_limit())
            .into_boxed();
        if let Some((key, id)) = &page.after {
            q = q.filter(
                c::name_key
                    .gt(key.clone())
                    .or(c::name_key.eq(key.clone()).and(b::id.gt(*id))),
            );
        }
        q.load::<Row>(&mut *conn)
            .await?
            .into_iter()
            .map(Budget::try_from)
            .collect()
    }

    async fn list_all(
        &self,
        user_id: UserId,
        page: &PageRequest<Uuid>,
    ) -> Result<Vec<Budget>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let mut q = joined!(user_id)
            .order(b::id.asc())
            .limit(page.fetch_limit())
            .into_boxed();
        if let Some(after) = page.after {
            q = q.filter(b::id.gt(after));
        }
        q.load::<Row>(&mut *conn)
            .await?
            .into_iter()
            .map(Budget::try_from)
            .collect()
    }

    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
        month: Month,
    ) -> Result<Option<Budget>, RepoError> {
        let conn = tx_conn(tx)?;
        // Locks the budget's row only (not its category's), then reads it
        // with the category's name.
        let locked = b::budgets
            .filter(
                b::user_id
                    .eq(user_id.as_uuid())
                    .and(b::category_id.eq(category_id))
                    .and(b::month.eq(month.first_day())),
            )
            .select(b::id)
            .for_update()
            .first::<Uuid>(&mut *conn)
            .await
            .optional()?;
        let Some(id) = locked else {
            return Ok(None);
        };
        joined!(user_id)
            .filter(b::id.eq(id))
            .first::<Row>(&mut *conn)
            .await
            .optional()?
            .map(Budget::try_from)
            .transpose()
    }

    async fn delete(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
        month: Month,
    ) -> Result<bool, RepoError> {
        let deleted = diesel::delete(
            b::budgets.filter(
                b::user_id
                    .eq(user_id.as_uuid())
                    .and(b::category_id.eq(category_id))
                    .and(b::month.eq(month.first_day())),
            ),
        )
        .execute(tx_conn(tx)?)
        .await?;
        Ok(deleted == 1)
    }

    async fn delete_for_category(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
    ) -> Result<u64, RepoError> {
        let deleted = diesel::delete(
            b::budgets.filter(
                b::user_id
                    .eq(user_id.as_uuid())
                    .and(b::category_id.eq(category_id)),
            ),
        )
        .execute(tx_conn(tx)?)
        .await?;
        Ok(deleted as u64)
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(b::budgets.filter(b::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(deleted as u64)
    }
}
