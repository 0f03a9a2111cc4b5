//! What the dashboard shows: one part per module, each either there or unavailable.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

/// A part that may be missing when its module failed or was too slow.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub enum Part<T> {
    /// The part, computed.
    Ok(T),
    /// The module could not answer in time; the rest of the dashboard is still valid.
    Unavailable {
        /// Why, for a human.
        reason: String,
    },
}

/// This month's money in the user's time zone.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct FinancesPart {
    /// First day of the month.
    pub from: NaiveDate,
    /// Last day of the month.
    pub to: NaiveDate,
    /// Income, decimal string.
    pub income: String,
    /// Expense, decimal string.
    pub expense: String,
    /// Income minus expense, decimal string.
    pub balance: String,
    /// Up to five categories with the largest expense, largest first.
    pub top_expense_categories: Vec<CategoryExpense>,
    /// Budgets of the month at or over 80 % spent.
    pub budgets_near_limit: Vec<BudgetAlert>,
}

/// One category's spending.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct CategoryExpense {
    /// Category name.
    pub category: String,
    /// Expense, decimal string.
    pub expense: String,
}

/// A budget close to (or past) its limit.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct BudgetAlert {
    /// Category name.
    pub category: String,
    /// The month's limit, decimal string.
    pub limit: String,
    /// Spent so far, decimal string.
    pub spent: String,
    /// Spent as a percentage of the limit, decimal string.
    pub percent: String,
}

/// Reminders needing attention.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct RemindersPart {
    /// Pending reminders due before now.
    pub overdue_count: i64,
    /// The next five pending reminders by due time.
    pub next: Vec<ReminderItem>,
}

/// A reminder on the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct ReminderItem {
    /// Reminder id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// `low`, `normal` or `high`.
    pub priority: String,
}

/// Today's and the coming calendar.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct CalendarPart {
    /// Occurrences overlapping today (user's zone).
    pub today: Vec<Occurrence>,
    /// The next five occurrences starting after today.
    pub upcoming: Vec<Occurrence>,
}

/// One occurrence of an event.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct Occurrence {
    /// The event (series) id.
    pub event_id: Uuid,
    /// Title.
    pub title: String,
    /// Start of this occurrence.
    pub starts_at: DateTime<Utc>,
    /// End of this occurrence.
    pub ends_at: DateTime<Utc>,
    /// Whether it is an all-day event.
    pub all_day: bool,
}

/// The whole dashboard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// When it was computed.
    pub generated_at: DateTime<Utc>,
    /// The user's IANA time zone everything was computed in.
    pub timezone: String,
    /// The user's local date "today" means.
    pub today: NaiveDate,
    /// Money this month.
    pub finances: Part<FinancesPart>,
    /// Reminders.
    pub reminders: Part<RemindersPart>,
    /// Calendar.
    pub calendar: Part<CalendarPart>,
}
