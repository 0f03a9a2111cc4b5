//! The finances module's share of a user's data: categories, transactions,
//! budgets and idempotency keys (erased on account deletion; the first three exported).

use super::service::FinancesService;
use crate::domain::{Budget, Category, Transaction};
use kernel::pagination::PageRequest;
use kernel::user_data::{ExportStream, UserDataOwner, paginate};
use kernel::{ApiError, Tx, UserId};
use serde_json::{Value, json};

const PAGE: u16 = 200;

fn next_key<T, K>(rows: &mut Vec<T>, key: impl Fn(&T) -> K) -> Option<K> {
    if rows.len() > usize::from(PAGE) {
        rows.truncate(usize::from(PAGE));
        rows.last().map(key)
    } else {
        None
    }
}

/// A category as exported.
pub fn category_json(c: &Category) -> Value {
    json!({"id": c.id, "name": c.name.as_str(), "created_at": c.created_at, "updated_at": c.updated_at})
}

/// A transaction as exported.
pub fn transaction_json(t: &Transaction) -> Value {
    json!({
        "id": t.id,
        "kind": t.kind.as_str(),
        "amount": t.amount.to_string(),
        "occurred_on": t.occurred_on,
        "category": t.category.as_ref().map(|c| c.name.as_str()),
        "description": t.description.as_ref().map(|d| d.as_str()),
        "external_id": t.external_id.as_ref().map(|x| x.as_str()),
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    })
}

fn budget_json(b: &Budget) -> Value {
    json!({
        "id": b.id,
        "category": b.category.name.as_str(),
        "month": b.month.to_string(),
        "limit": b.limit.to_string(),
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    })
}

#[async_trait::async_trait]
impl UserDataOwner for FinancesService {
    fn module(&self) -> &'static str {
        "finances"
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, ApiError> {
        let keys = self.idempotency.store().delete_all(tx, user_id).await?;
        let budgets = self.budgets.delete_all(tx, user_id).await?;
        let transactions = self.transactions.delete_all(tx, user_id).await?;
        let categories = self.categories.delete_all(tx, user_id).await?;
        Ok(keys + budgets + transactions + categories)
    }

    fn export_sections(&self) -> &'static [&'static str] {
        &["categories", "transactions", "budgets"]
    }

    fn export(&self, user_id: UserId, section: &'static str) -> ExportStream {
        match section {
            "categories" => {
                let repo = self.categories.clone();
                paginate(move |after| {
                    let repo = repo.clone();
                    async move {
                        let mut rows = repo
                            .list(user_id, &PageRequest { limit: PAGE, after })
                            .await?;
                        let next = next_key(&mut rows, |c| (c.name.key(), c.id));
                        Ok((rows.iter().map(category_json).collect(), next))
                    }
                })
            }
            "transactions" => {
                let repo = self.transactions.clone();
                paginate(move |after| {
                    let repo = repo.clone();
                    async move {
                        let page = PageRequest { limit: PAGE, after };
                        let mut rows = repo.list(user_id, &Default::default(), &page).await?;
                        let next = next_key(&mut rows, Transaction::sort_key);
                        Ok((rows.iter().map(transaction_json).collect(), next))
                    }
                })
            }
            _ => {
                let repo = self.budgets.clone();
                paginate(move |after| {
                    let repo = repo.clone();
                    async move {
                        let mut rows = repo
                            .list_all(user_id, &PageRequest { limit: PAGE, after })
                            .await?;
                        let next = next_key(&mut rows, |b| b.id);
                        Ok((rows.iter().map(budget_json).collect(), next))
                    }
                })
            }
        }
    }
}
