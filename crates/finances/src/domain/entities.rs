//! Transactions, categories, budgets and summaries.

use super::money::{Money, Total};
use super::period::{DateRange, Month};
use super::text::{CategoryName, Description, ExternalId};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::UserId;
use std::fmt;
use uuid::Uuid;

/// Which way money went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Money in.
    Income,
    /// Money out.
    Expense,
}

impl Kind {
    /// Parses `income` or `expense`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "income" => Ok(Self::Income),
            "expense" => Ok(Self::Expense),
            _ => Err("must be income or expense".to_owned()),
        }
    }

    /// `income` or `expense`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Income => "income",
            Self::Expense => "expense",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A category of the user's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// Its id.
    pub id: Uuid,
    /// Its owner.
    pub user_id: UserId,
    /// Its name (unique per user, case-insensitively).
    pub name: CategoryName,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Category {
    /// This category as a reference from a transaction or budget.
    pub fn as_ref(&self) -> CategoryRef {
        CategoryRef {
            id: self.id,
            name: self.name.clone(),
        }
    }
}

/// The category a transaction or budget points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryRef {
    /// Its id.
    pub id: Uuid,
    /// Its current name.
    pub name: CategoryName,
}

/// One movement of money.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// Its id.
    pub id: Uuid,
    /// Its owner.
    pub user_id: UserId,
    /// Income or expense.
    pub kind: Kind,
    /// How much (positive).
    pub amount: Money,
    /// The day it happened.
    pub occurred_on: NaiveDate,
    /// Its category, if any.
    pub category: Option<CategoryRef>,
    /// Free text.
    pub description: Option<Description>,
    /// The bank's id, unique per user.
    pub external_id: Option<ExternalId>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Transaction {
    /// The key the transaction list is ordered by (`occurred_on desc, id desc`).
    pub fn sort_key(&self) -> (NaiveDate, Uuid) {
        (self.occurred_on, self.id)
    }
}

/// A monthly spending limit for a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Its id.
    pub id: Uuid,
    /// Its owner.
    pub user_id: UserId,
    /// The category it limits.
    pub category: CategoryRef,
    /// The month it applies to.
    pub month: Month,
    /// The most the user means to spend.
    pub limit: Money,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A budget and how much of it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetStatus {
    /// The budget.
    pub budget: Budget,
    /// Expenses of the category in the month.
    pub spent: Total,
    /// `limit - spent` (negative when over budget).
    pub remaining: Total,
    /// `spent / limit` as a percentage, two decimals.
    pub percent: Total,
}

impl BudgetStatus {
    /// The status of `budget` given what was spent.
    pub fn new(budget: Budget, spent: Total) -> Self {
        let remaining = &budget.limit - &spent;
        let percent = spent.percent_of(&budget.limit);
        Self {
            budget,
            spent,
            remaining,
            percent,
        }
    }
}

/// Income and expense of one category (or of no category) over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryTotals {
    /// The category's name; `None` for transactions without one.
    pub category: Option<String>,
    /// Income.
    pub income: Total,
    /// Expense.
    pub expense: Total,
}

/// Totals over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The period.
    pub range: DateRange,
    /// All income.
    pub income: Total,
    /// All expense.
    pub expense: Total,
    /// Income minus expense.
    pub balance: Total,
    /// Per category, by name (uncategorised last).
    pub by_category: Vec<CategoryTotals>,
}

impl Summary {
    /// Adds up per-(category, kind) sums into a summary.
    pub fn from_sums(range: DateRange, sums: Vec<(Option<String>, Kind, Total)>) -> Self {
        let mut income = Total::zero();
        let mut expense = Total::zero();
        let mut by_category: Vec<CategoryTotals> = Vec::new();
        for (category, kind, total) in sums {
            let idx = match by_category.iter().position(|c| c.category == category) {
                Some(i) => i,
                None => {
                    by_category.push(CategoryTotals {
                        category,
                        income: Total::zero(),
                        expense: Total::zero(),
                    });
                    by_category.len() - 1
                }
            };
            let entry = &mut by_category[idx];
            match kind {
                Kind::Income => {
                    income = income + &total;
                    entry.income = std::mem::take(&mut entry.income) + &total;
                }
                Kind::Expense => {
                    expense = expense + &total;
                    entry.expense = std::mem::take(&mut entry.expense) + &total;
                }
            }
        }
        by_category.sort_by(|a, b| match (&a.category, &b.category) {
            (Some(x), Some(y)) => x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let balance = income.clone() - &expense;
        Self {
            range,
            income,
            expense,
            balance,
            by_category,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    fn total(s: &str) -> Total {
        Total::zero() + &Money::parse(s).unwrap()
    }

    #[test]
    fn summaries_add_up_by_category_and_kind() {
        let range = Month::parse("2026-11").unwrap().range();
        let s = Summary::from_sums(
            range,
            vec![
                (Some("food".into()), Kind::Expense, total("10.10")),
                (None, Kind::Income, total("100")),
                (Some("Bills".into()), Kind::Expense, total("0.20")),
                (Some("food".into()), Kind::Income, total("1.01")),
            ],
        );
        assert_eq!(s.income.to_string(), "101.01");
        assert_eq!(s.expense.to_string(), "10.30");
        assert_eq!(s.balance.to_string(), "90.71");
        let names: Vec<_> = s.by_category.iter().map(|c| c.category.clone()).collect();
        assert_eq!(names, vec![Some("Bills".into()), Some("food".into()), None]);
        assert_eq!(s.by_category[1].income.to_string(), "1.01");
        assert_eq!(s.by_category[1].expense.to_string(), "10.10");
    }

    #[test]
    fn kinds_parse_exactly() {
        assert_eq!(Kind::parse("income"), Ok(Kind::Income));
        assert!(Kind::parse("Income").is_err());
        assert_eq!(Kind::Expense.to_string(), "expense");
    }
}
