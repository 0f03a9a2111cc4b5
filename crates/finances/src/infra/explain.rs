//! `EXPLAIN` of the exact statements the repositories run (same SQL, same
//! binds), so tests can assert that the hot queries are index-backed (RULES R10).

use super::transactions::{SPENT_SQL, SUMMARY_SQL, list_query};
use crate::application::{ListFilter, TransactionKey};
use crate::domain::DateRange;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{Array, Date, Text};
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool};
use kernel::pagination::PageRequest;
use kernel::{RepoError, UserId};
use uuid::Uuid;

/// `EXPLAIN <query>`; loads the plan's lines as `String`s.
#[derive(Debug)]
pub struct Explain<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for Explain<Q> {
    type SqlType = Text;
}

#[derive(diesel::QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

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
    let lines: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN {SUMMARY_SQL}"))
        .bind::<diesel::sql_types::Uuid, _>(user_id.as_uuid())
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to)
        .load(&mut *db.conn().await?)
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The plan of the budgets' spending aggregate.
pub async fn explain_spent(
    pool: &DbPool,
    user_id: UserId,
    range: DateRange,
    category_ids: &[Uuid],
) -> Result<String, RepoError> {
    let mut db = Db::Pool(pool);
    let lines: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN {SPENT_SQL}"))
        .bind::<diesel::sql_types::Uuid, _>(user_id.as_uuid())
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to)
        .bind::<Array<diesel::sql_types::Uuid>, _>(category_ids)
        .load(&mut *db.conn().await?)
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n"))
}
