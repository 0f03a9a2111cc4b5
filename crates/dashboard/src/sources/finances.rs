//! This month's money, from the finances module's use cases.

use crate::application::{FinancesSource, When};
use crate::domain::{BudgetAlert, CategoryExpense, FinancesPart};
use finances::application::FinancesService;
use finances::domain::{Month, Total};
use kernel::pagination::PageRequest;
use kernel::{ApiError, UserId};
use std::sync::Arc;

/// Categories shown by expense.
const TOP_CATEGORIES: usize = 5;
/// Budgets shown from this percentage spent.
const ALERT_PERCENT: u32 = 80;
/// Budgets read per call; a month has far fewer.
const BUDGET_PAGE: u16 = 200;

/// [`FinancesSource`] over `FinancesService`.
pub struct FinancesFromModule(pub Arc<FinancesService>);

#[async_trait::async_trait]
impl FinancesSource for FinancesFromModule {
    async fn finances(&self, user_id: UserId, when: When) -> Result<FinancesPart, ApiError> {
        let month = Month::containing(when.today);
        let (summary, alerts) = tokio::try_join!(
            self.0.summary_for(user_id, month.range()),
            self.alerts(user_id, month),
        )?;
        let mut spending: Vec<_> = summary
            .by_category
            .iter()
            .filter(|c| c.expense > Total::zero())
            .collect();
        spending.sort_by(|a, b| {
            b.expense
                .cmp(&a.expense)
                .then_with(|| a.category.cmp(&b.category))
        });
        Ok(FinancesPart {
            from: summary.range.from,
            to: summary.range.to,
            income: summary.income.to_string(),
            expense: summary.expense.to_string(),
            balance: summary.balance.to_string(),
            top_expense_categories: spending
                .into_iter()
                .take(TOP_CATEGORIES)
                .map(|c| CategoryExpense {
                    category: c
                        .category
                        .clone()
                        .unwrap_or_else(|| "(uncategorised)".to_owned()),
                    expense: c.expense.to_string(),
                })
                .collect(),
            budgets_near_limit: alerts,
        })
    }
}

impl FinancesFromModule {
    /// Budgets of the month at or over [`ALERT_PERCENT`] spent, most spent first.
    async fn alerts(&self, user_id: UserId, month: Month) -> Result<Vec<BudgetAlert>, ApiError> {
        let threshold = Total::from_decimal(bigdecimal::BigDecimal::from(ALERT_PERCENT));
        let mut alerts = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .0
                .budgets_for(
                    user_id,
                    month,
                    &PageRequest {
                        limit: BUDGET_PAGE,
                        after,
                    },
                )
                .await?;
            for status in &page.items {
                if status.percent >= threshold {
                    alerts.push((
                        status.percent.clone(),
                        BudgetAlert {
                            category: status.budget.category.name.as_str().to_owned(),
                            limit: status.budget.limit.to_string(),
                            spent: status.spent.to_string(),
                            percent: status.percent.to_string(),
                        },
                    ));
                }
            }
            match page.next_cursor {
                Some(cursor) => after = Some(kernel::Cursor::decode(&cursor)?),
                None => break,
            }
        }
        alerts.sort_by(|a, b| b.0.cmp(&a.0));
        Ok(alerts.into_iter().map(|(_, alert)| alert).collect())
    }
}
