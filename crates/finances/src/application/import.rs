//! CSV import: all rows or none, in one transaction.

use super::csv::{self, CsvRow};
use super::service::{FinancesService, conflict};
use crate::domain::{Category, CategoryName, Transaction};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, UserId, transaction};
use std::collections::{HashMap, HashSet};

/// A row left out because the user already has its external id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedRow {
    /// Its line in the file.
    pub line: u64,
    /// Its external id.
    pub external_id: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// Nothing was written.
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: usize,
    /// Transactions created (would be, in a dry run).
    pub imported: usize,
    /// Rows skipped as already imported.
    pub skipped: Vec<SkippedRow>,
    /// Categories created (would be) for names the user did not have.
    pub categories_created: Vec<String>,
}

/// Marks the rollback of a dry run (never reaches a client).
const DRY_RUN_ROLLBACK: &str = "dry run: rolled back";

impl FinancesService {
    /// Imports a CSV file: every row is checked first (422 listing every bad
    /// row by line), then every row is written in one transaction; rows whose
    /// external id the user already has are skipped and reported. A dry run
    /// does the same work and rolls it back.
    pub async fn import_csv(
        &self,
        user_id: UserId,
        body: &[u8],
        dry_run: bool,
    ) -> Result<ImportReport, ApiError> {
        let rows = csv::parse(body)?;
        let now = self.clock.now();
        let (categories, transactions) = (self.categories.clone(), self.transactions.clone());
        let mut slot: Option<ImportReport> = None;
        let out = &mut slot;
        let result = transaction(&*self.transactor, move |mut tx| {
            async move {
                let total = rows.len();
                let external_ids: Vec<String> = rows
                    .iter()
                    .filter_map(|r| r.draft.external_id.as_ref().map(|x| x.as_str().to_owned()))
                    .collect();
                let existing: HashSet<String> = if external_ids.is_empty() {
                    HashSet::new()
                } else {
                    transactions
                        .existing_external_ids(&mut tx, user_id, &external_ids)
                        .await?
                        .into_iter()
                        .collect()
                };
                let (fresh, mut skipped): (Vec<CsvRow>, Vec<CsvRow>) =
                    rows.into_iter().partition(|r| {
                        r.draft
                            .external_id
                            .as_ref()
                            .is_none_or(|x| !existing.contains(x.as_str()))
                    });
                let mut names: Vec<CategoryName> = Vec::new();
                let mut seen = HashSet::new();
                for row in &fresh {
                    if let Some(name) = &row.draft.category
                        && seen.insert(name.key())
                    {
                        names.push(name.clone());
                    }
                }
                let (found, created) = if names.is_empty() {
                    (Vec::new(), Vec::new())
                } else {
                    categories.ensure(&mut tx, user_id, &names, now).await?
                };
                let by_key: HashMap<String, &Category> =
                    found.iter().map(|c| (c.name.key(), c)).collect();
                let mut lines = HashMap::new();
                let mut new_rows = Vec::with_capacity(fresh.len());
                for row in fresh {
                    let d = row.draft;
                    if let Some(x) = &d.external_id {
                        lines.insert(x.as_str().to_owned(), row.line);
                    }
                    new_rows.push(Transaction {
                        id: kernel::ids::new_id(),
                        user_id,
                        kind: d.kind,
                        amount: d.amount,
                        occurred_on: d.occurred_on,
                        category: d
                            .category
                            .as_ref()
                            .and_then(|n| by_key.get(&n.key()))
                            .map(|c| c.as_ref()),
                        description: d.description,
                        external_id: d.external_id,
                        created_at: now,
                        updated_at: now,
                    });
                }
                // Rows a concurrent request imported meanwhile are skipped too.
                let raced = transactions
                    .insert_many(&mut tx, user_id, &new_rows)
                    .await
                    .map_err(conflict)?;
                let mut skipped_rows: Vec<SkippedRow> = skipped
                    .drain(..)
                    .filter_map(|r| {
                        r.draft.external_id.map(|x| SkippedRow {
                            line: r.line,
                            external_id: x.as_str().to_owned(),
                        })
                    })
                    .chain(raced.iter().map(|x| SkippedRow {
                        line: lines.get(x).copied().unwrap_or(0),
                        external_id: x.clone(),
                    }))
                    .collect();
                skipped_rows.sort_by_key(|s| s.line);
                let report = ImportReport {
                    dry_run,
                    rows: total,
                    imported: new_rows.len() - raced.len(),
                    skipped: skipped_rows,
                    categories_created: created.iter().map(|c| c.name.to_string()).collect(),
                };
                if dry_run {
                    *out = Some(report);
                    return Err(ApiError::Unprocessable(DRY_RUN_ROLLBACK.into()));
                }
                Ok(report)
            }
            .scope_boxed()
        })
        .await;
        match (result, slot) {
            (Err(_), Some(report)) => Ok(report),
            (result, _) => result,
        }
    }
}
