//! `EXPLAIN` of the exact statements a repository runs (same SQL, same
//! binds), so tests can assert that the hot queries are index-backed (RULES R10).
//! Wraps a Diesel query (DSL or `sql_query` with its binds); loading it gives
//! the plan's lines.
//!
//! ```ignore
//! let lines: Vec<String> = Explain(list_query(user_id, filter, page)).load(conn).await?;
//! ```

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::Text;

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
