//! `EXPLAIN` of the exact statements the repositories run (same SQL, same
//! binds), so tests can assert that the hot queries are index-backed (RULES R10).
//! The wrapper is kernel's [`Explain`].

use super::transactions::{SPENT_SQL, SUMMARY_SQL, list_query};
use crate::application::{ListFilter, TransactionKey};
use crate::domain::DateRange;
use diesel::sql_types::{Array, Date};
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, Explain};
use kernel::pagination::PageRequest;
use kernel::{RepoError, UserId};
use uuid::Uuid;

/// The plan of the transaction list (and export) for these filters and page.
pub async fn explain_list(
    pool: &DbPool,
    user_id: UserId,
    filter: &ListFilter,
    page: &PageRequest<TransactionKey>,
) -> Result<String, RepoError> {
    let mut db = Db::Pool(pool);
    let lines: Vec<String> = Explain(list_query(user_id, filter, page))
        .load(&mut *db.conn().await?)
        .await?;
    Ok(lines.join("\n"))
}

/// The plan of the summary's aggregate.
pub async fn explain_summary(
    pool: &DbPool,
    user_id: UserId,
    range: DateRange,
) -> Result<String, RepoError> {
    let mut db = Db::Pool(pool);
    let query = diesel::sql_query(SUMMARY_SQL)
        .bind::<diesel::sql_types::Uuid, _>(user_id.as_uuid())
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to);
    let lines: Vec<String> = Explain(query).load(&mut *db.conn().await?).await?;
    Ok(lines.join("\n"))
}

/// The plan of the budgets' spending aggregate.
pub async fn explain_spent(
    pool: &DbPool,
    user_id: UserId,
    range: DateRange,
    category_ids: &[Uuid],
) -> Result<String, RepoError> {
    let mut db = Db::Pool(pool);
    let query = diesel::sql_query(SPENT_SQL)
        .bind::<diesel::sql_types::Uuid, _>(user_id.as_uuid())
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to)
        .bind::<Array<diesel::sql_types::Uuid>, _>(category_ids);
    let lines: Vec<String> = Explain(query).load(&mut *db.conn().await?).await?;
    Ok(lines.join("\n"))
}
