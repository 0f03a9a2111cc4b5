//! Transactions, categories, budgets and summaries.

use super::money::{Money, Total};
use super::period::{DateRange, Month};
use super::text::{CategoryName, Description, ExternalId};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::UserId;
use kernel::precondition::entity_tag;
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

    /// A strong entity tag of this version: it changes whenever any field a
    /// client can see changes.
    pub fn etag(&self) -> String {
        entity_tag(&format!(
            "{}|{:?}|{}|{}",
            self.id,
            self.name.as_str(),
            self.created_at.timestamp_micros(),
            self.updated_at.timestamp_micros(),
        ))
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

    /// A strong entity tag of this version: it changes whenever any field a
    /// client can see changes (its category's name included).
    pub fn etag(&self) -> String {
        entity_tag(&format!(
            "{}|{}|{}|{}|{:?}|{:?}|{:?}|{}|{}",
            self.id,
            self.kind,
            self.amount,
            self.occurred_on,
            self.category.as_ref().map(|c| c.name.as_str()),
            self.description.as_ref().map(Description::as_str),
            self.external_id.as_ref().map(ExternalId::as_str),
            self.created_at.timestamp_micros(),
            self.updated_at.timestamp_micros(),
        ))
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

impl Budget {
    /// A strong entity tag of this version of the budget itself (category,
    /// month, limit): what is spent against it is not part of it.
    pub fn etag(&self) -> String {
        entity_tag(&format!(
            "{}|{}|{:?}|{}|{}|{}|{}",
            self.id,
            self.category.id,
            self.category.name.as_str(),
            self.month,
            self.limit,
            self.created_at.timestamp_micros(),
            self.updated_at.timestamp_micros(),
        ))
    }
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

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn name(s: &str) -> CategoryName {
        CategoryName::parse(s).unwrap()
    }

    /// Asserts that `etag` is a quoted 16-hex tag, stable for `base`, and
    /// different for each of `changed`.
    fn assert_etag<T: Clone>(base: &T, etag: impl Fn(&T) -> String, changed: &[(&str, T)]) {
        let tag = etag(base);
        assert!(
            tag.starts_with('"') && tag.ends_with('"') && tag.len() == 18,
            "{tag}"
        );
        assert_eq!(etag(&base.clone()), tag);
        for (field, other) in changed {
            assert_ne!(etag(other), tag, "{field} changed but the tag did not");
        }
    }

    #[test]
    fn a_transactions_etag_changes_with_every_visible_field() {
        let t = Transaction {
            id: Uuid::nil(),
            user_id: UserId::from_uuid(Uuid::nil()),
            kind: Kind::Expense,
            amount: Money::parse("12.30").unwrap(),
            occurred_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            category: Some(CategoryRef {
                id: Uuid::nil(),
                name: name("Food"),
            }),
            description: Description::parse("lunch").unwrap(),
            external_id: Some(ExternalId::parse("bank-1").unwrap()),
            created_at: at("2026-11-25T12:00:00Z"),
            updated_at: at("2026-11-25T12:00:00Z"),
        };
        let with = |f: &dyn Fn(&mut Transaction)| {
            let mut x = t.clone();
            f(&mut x);
            x
        };
        let changed = [
            ("id", with(&|x| x.id = Uuid::from_u128(1))),
            ("kind", with(&|x| x.kind = Kind::Income)),
            (
                "amount",
                with(&|x| x.amount = Money::parse("12.31").unwrap()),
            ),
            (
                "occurred_on",
                with(&|x| x.occurred_on = x.occurred_on.succ_opt().unwrap()),
            ),
            ("category", with(&|x| x.category = None)),
            (
                "category name",
                with(&|x| {
                    x.category = Some(CategoryRef {
                        id: Uuid::nil(),
                        name: name("food"),
                    })
                }),
            ),
            ("description", with(&|x| x.description = None)),
            ("external_id", with(&|x| x.external_id = None)),
            (
                "created_at",
                with(&|x| x.created_at = at("2026-11-25T12:00:00.000001Z")),
            ),
            (
                "updated_at",
                with(&|x| x.updated_at = at("2026-11-25T12:00:00.000001Z")),
            ),
        ];
        assert_etag(&t, Transaction::etag, &changed);
        // Free text cannot be shifted from one field into the next.
        let a = with(&|x| {
            x.description = Description::parse("a|\"b").unwrap();
            x.external_id = None;
        });
        let b = with(&|x| {
            x.description = Description::parse("a").unwrap();
            x.external_id = Some(ExternalId::parse("b").unwrap());
        });
        assert_ne!(a.etag(), b.etag());
        // The user id is not visible and does not matter.
        assert_eq!(
            with(&|x| x.user_id = UserId::from_uuid(Uuid::from_u128(9))).etag(),
            t.etag()
        );
    }

    #[test]
    fn a_categorys_etag_changes_with_every_visible_field() {
        let c = Category {
            id: Uuid::nil(),
            user_id: UserId::from_uuid(Uuid::nil()),
            name: name("Food"),
            created_at: at("2026-11-25T12:00:00Z"),
            updated_at: at("2026-11-25T12:00:00Z"),
        };
        let with = |f: &dyn Fn(&mut Category)| {
            let mut x = c.clone();
            f(&mut x);
            x
        };
        let changed = [
            ("id", with(&|x| x.id = Uuid::from_u128(1))),
            ("name (case)", with(&|x| x.name = name("FOOD"))),
            (
                "created_at",
                with(&|x| x.created_at = at("2026-11-25T12:00:01Z")),
            ),
            (
                "updated_at",
                with(&|x| x.updated_at = at("2026-11-25T12:00:01Z")),
            ),
        ];
        assert_etag(&c, Category::etag, &changed);
    }

    #[test]
    fn a_budgets_etag_changes_with_every_visible_field() {
        let b = Budget {
            id: Uuid::nil(),
            user_id: UserId::from_uuid(Uuid::nil()),
            category: CategoryRef {
                id: Uuid::nil(),
                name: name("Food"),
            },
            month: Month::parse("2026-11").unwrap(),
            limit: Money::parse("500").unwrap(),
            created_at: at("2026-11-25T12:00:00Z"),
            updated_at: at("2026-11-25T12:00:00Z"),
        };
        let with = |f: &dyn Fn(&mut Budget)| {
            let mut x = b.clone();
            f(&mut x);
            x
        };
        let changed = [
            ("id", with(&|x| x.id = Uuid::from_u128(1))),
            ("category id", with(&|x| x.category.id = Uuid::from_u128(1))),
            (
                "category name",
                with(&|x| x.category.name = name("Groceries")),
            ),
            (
                "month",
                with(&|x| x.month = Month::parse("2026-12").unwrap()),
            ),
            (
                "limit",
                with(&|x| x.limit = Money::parse("500.01").unwrap()),
            ),
            (
                "created_at",
                with(&|x| x.created_at = at("2026-11-25T12:00:01Z")),
            ),
            (
                "updated_at",
                with(&|x| x.updated_at = at("2026-11-25T12:00:01Z")),
            ),
        ];
        assert_etag(&b, Budget::etag, &changed);
    }

    #[test]
    fn kinds_parse_exactly() {
        assert_eq!(Kind::parse("income"), Ok(Kind::Income));
        assert!(Kind::parse("Income").is_err());
        assert_eq!(Kind::Expense.to_string(), "expense");
    }
}
